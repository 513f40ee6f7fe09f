import Foundation
import SigV4
import TestSupport

/// One folder of ../shared/aws-sigv4-testsuite: the raw request (`NAME.req`) and the expected
/// files next to it, read byte for byte. Credentials, region and service per group are the ones
/// the suite's README gives.
struct VectorCase {
    enum Group { case official, s3DocsExamples, s3Generated }

    let name: String
    let folder: URL
    let group: Group
    let method: String
    /// The request target split at its first `?`, exactly as in the request line.
    let path: String
    let query: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    static var suiteRoot: URL { Project.shared.appendingPathComponent("aws-sigv4-testsuite") }

    /// Every case in the suite, sorted by folder.
    static func all() throws -> [VectorCase] {
        guard let walker = FileManager.default.enumerator(atPath: suiteRoot.path) else {
            throw VectorError("no SigV4 test suite at \(suiteRoot.path): set SHARED_DIR to the shared folder")
        }
        let requests = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".req") }.sorted()
        return try requests.map { try VectorCase(requestFile: suiteRoot.appendingPathComponent($0)) }
    }

    init(requestFile: URL) throws {
        folder = requestFile.deletingLastPathComponent()
        name = requestFile.deletingPathExtension().lastPathComponent
        let relative = folder.path.dropFirst(Self.suiteRoot.path.count)
        group = relative.hasPrefix("/s3-docs-examples/") ? .s3DocsExamples : relative.hasPrefix("/s3-generated/") ? .s3Generated : .official

        let raw = String(decoding: try Data(contentsOf: requestFile), as: UTF8.self)
        let (head, body) = raw.range(of: "\n\n").map { (String(raw[..<$0.lowerBound]), String(raw[$0.upperBound...])) } ?? (raw, "")
        self.body = Array(body.utf8)
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let version = requestLine.range(of: " HTTP/", options: .backwards) else {
            throw VectorError("\(requestFile.path): bad request line \(requestLine)")
        }
        method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<version.lowerBound]
        let questionMark = target.firstIndex(of: "?")
        path = String(target[..<(questionMark ?? target.endIndex)])
        query = questionMark.map { String(target[target.index(after: $0)...]) } ?? ""

        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line   // a folded (multi-line) value, kept raw
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        self.headers = headers
    }

    func has(_ extensionName: String) -> Bool {
        FileManager.default.fileExists(atPath: file(extensionName).path)
    }

    func expected(_ extensionName: String) throws -> String {
        String(decoding: try Data(contentsOf: file(extensionName)), as: UTF8.self)
    }

    func file(_ extensionName: String) -> URL { folder.appendingPathComponent("\(name).\(extensionName)") }

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    // MARK: Signing inputs, as the README describes them

    var service: String { group == .official ? "service" : "s3" }

    /// The session token a case signs with: `get-vanilla-with-session-token` takes it from its
    /// canonical request, `post-sts-token/*` from the folder's readme.txt.
    func sessionToken() throws -> String? {
        if name == "get-vanilla-with-session-token" {
            return try expected("creq").split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
                .map { String($0.dropFirst("x-amz-security-token:".count)) }
        }
        if folder.deletingLastPathComponent().lastPathComponent == "post-sts-token" {
            let readme = try String(contentsOf: folder.deletingLastPathComponent().appendingPathComponent("readme.txt"), encoding: .utf8)
            return readme.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
        }
        return nil
    }

    func signer() throws -> SigV4Signer {
        let credentials = group == .s3DocsExamples
            ? Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                          sessionToken: try sessionToken())
            : Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          sessionToken: try sessionToken())
        var signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
        signer.signsSessionToken = name != "post-sts-header-after"
        return signer
    }

    func signingTime() throws -> SigningTime {
        let amzDate = header("x-amz-date") ?? (try? expected("sts").split(separator: "\n")[1]).map(String.init) ?? ""
        guard let time = SigningTime(amzDate: amzDate) else { throw VectorError("\(name): no usable signing date") }
        return time
    }
}

struct VectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
