import CurlShim

/// A blocking HTTP/1.1 client over one reusable curl easy handle, so consecutive requests to the
/// same host share a kept-alive connection. Not thread-safe: use one client per thread.
public final class HTTPClient {
    private let easy: OpaquePointer

    public init() throws {
        let status = cs_global_init()
        guard status == 0, let easy = cs_easy_create() else {
            throw HTTPTransportError(url: "", code: status == 0 ? Int32(CS_E_OUT_OF_MEMORY) : status,
                                     message: "cannot initialise libcurl")
        }
        self.easy = easy
    }

    deinit { cs_easy_destroy(easy) }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        cs_easy_reset(easy)
        let headerList = try makeHeaderList(request)
        defer { cs_slist_free(headerList) }
        try check(cs_easy_setopt_string(easy, CS_OPT_URL, request.url), request)
        try check(cs_easy_setopt_long(easy, CS_OPT_TIMEOUT_MS, request.timeout.map { max(1, Int($0 * 1000)) } ?? 0), request)
        try check(cs_easy_setopt_long(easy, CS_OPT_PATH_AS_IS, 1), request)
        if let limit = request.maxResponseBytes { try check(cs_easy_setopt_long(easy, CS_OPT_MAXFILESIZE, limit), request) }
        switch request.method {
        case "GET" where request.body.isEmpty:
            try check(cs_easy_setopt_long(easy, CS_OPT_HTTPGET, 1), request)
        case "HEAD":
            try check(cs_easy_setopt_long(easy, CS_OPT_NOBODY, 1), request)
        default:
            try check(cs_easy_setopt_string(easy, CS_OPT_CUSTOMREQUEST, request.method), request)
            try check(request.body.withUnsafeBufferPointer { cs_easy_set_body(easy, $0.baseAddress, $0.count) }, request)
        }
        try check(cs_easy_setopt_slist(easy, CS_OPT_HTTPHEADER, headerList), request)
        if let destination = request.bodyDestination {
            cs_easy_set_body_destination(easy, destination.baseAddress?.assumingMemoryBound(to: UInt8.self), destination.count)
        }
        try check(cs_easy_perform(easy), request)

        var headerLength = 0, bodyLength = 0
        let rawHeaders = cs_easy_response_headers(easy, &headerLength)
        let rawBody = cs_easy_response_body(easy, &bodyLength)
        // curl only enforces the limit up front, against an announced length (not a chunked body).
        if let limit = request.maxResponseBytes, bodyLength > limit {
            throw HTTPTransportError(url: request.url, code: Int32(CS_E_FILESIZE_EXCEEDED),
                                     message: "response body larger than \(limit) bytes")
        }
        var response = HTTPResponse(
            status: cs_easy_response_code(easy),
            headers: HTTPResponse.parseHeaderBlock(rawHeaders.map { Array(UnsafeBufferPointer(start: $0, count: headerLength)) } ?? []))
        if request.bodyDestination != nil && (200..<300).contains(response.status) {
            response.bodyWrittenToDestination = bodyLength
        } else if request.takesBodyInPlace && (200..<300).contains(response.status) {
            var length = 0
            let taken = cs_easy_take_response_body(easy, &length)
            response.bodyBytes = ResponseBytes(taking: taken, count: length)
        } else {
            response.body = rawBody.map { Array(UnsafeBufferPointer(start: $0, count: bodyLength)) } ?? []
        }
        return response
    }

    /// The request's headers as curl lines, plus blanks that stop curl adding its own
    /// `Expect: 100-continue` and form Content-Type, which would change what was signed.
    private func makeHeaderList(_ request: HTTPRequest) throws -> OpaquePointer? {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard !name.isEmpty, !(name + value).utf8.contains(where: { $0 == 13 || $0 == 10 }), !name.contains(":") else {
                throw HTTPRequestError(url: request.url, reason: "header \"\(name)\" has an empty name, a colon or a line break")
            }
            // curl drops "Name:" (it means "remove"); "Name;" sends an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        lines.append("Expect:")
        if !request.body.isEmpty && request.header("Content-Type") == nil { lines.append("Content-Type:") }

        var list: OpaquePointer?
        for line in lines {
            guard let grown = cs_slist_append(list, line) else {
                cs_slist_free(list)
                throw HTTPTransportError(url: request.url, code: Int32(CS_E_OUT_OF_MEMORY), message: "cannot build the header list")
            }
            list = grown
        }
        return list
    }

    private func check(_ code: Int32, _ request: HTTPRequest) throws {
        guard code != 0 else { return }
        throw HTTPTransportError(url: request.url, code: code, message: String(cString: cs_easy_error_message(easy, code)))
    }
}
