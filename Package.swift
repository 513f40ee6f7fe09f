// swift-tools-version:6.0
import PackageDescription

// dlib's templates (HOG scan, ResNet) are compiled into our shim: always optimise them, and
// never let SwiftPM's debug `DEBUG` define switch on dlib's asserts, which would not match
// the assert setting Debian's libdlib.so was built with. AVX2 and FMA switch on dlib's 8-wide
// SIMD paths (HOG about 30% faster); every x86-64 Lambda host has them, and fr_cpu_supported()
// (compiled without them) lets the program refuse clearly on a CPU that lacks them.
let dlibFlags: [CXXSetting] = [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-UDEBUG", "-DNDEBUG", "-Wno-deprecated-declarations"])]

let package = Package(
    name: "classroom-assistant",
    products: [
        .executable(name: "classroom-assistant", targets: ["classroom-assistant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: System libraries (pkg-config flags only)
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat", providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: Thin C/C++ shims (opaque handles, status codes, prefixed symbols)
        .target(name: "LibAVShim", dependencies: ["CFFmpeg"], cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("avutil"), .linkedLibrary("swscale")]),
        .target(
            name: "DlibShim",
            cxxSettings: dlibFlags,
            linkerSettings: [.linkedLibrary("dlib"), .linkedLibrary("lapack"), .linkedLibrary("blas"), .linkedLibrary("m"), .linkedLibrary("pthread")]
        ),
        .target(name: "CurlShim", dependencies: ["CCurl"]),

        // MARK: Swift
        .target(name: "RequestContext", dependencies: ["LogSink"]),
        .target(name: "LogSink"),
        .target(name: "Settings"),
        .target(name: "TextEncoding"),
        .target(name: "AtomicFile", dependencies: ["TextEncoding"]),
        .target(name: "SigV4", dependencies: ["COpenSSL", "TextEncoding"]),
        .target(name: "HTTPClient", dependencies: ["CurlShim", "TextEncoding"]),
        .target(name: "AWSClients", dependencies: ["SigV4", "TextEncoding", "HTTPClient", "RequestContext", "LogSink", "Settings"]),
        .target(name: "EncodingFile", dependencies: ["TextEncoding", "AtomicFile"]),
        .target(name: "Imaging"),
        .target(name: "Media", dependencies: ["LibAVShim", "RequestContext", "Imaging", "LogSink"]),
        .target(name: "FaceRecognition", dependencies: ["Imaging", "EncodingFile"]),
        .target(name: "FaceEngine", dependencies: ["DlibShim", "FaceRecognition", "Imaging", "LogSink"]),
        .target(name: "ClassroomCore", dependencies: ["Media", "FaceRecognition", "Imaging", "RequestContext", "EncodingFile", "LogSink", "TextEncoding",
                                               "AtomicFile", "Settings"]),
        .target(name: "LambdaRuntime", dependencies: ["HTTPClient", "TextEncoding", "RequestContext", "LogSink", "Settings"]),
        .target(name: "ClassroomFunction", dependencies: ["ClassroomCore", "Media", "FaceRecognition", "FaceEngine", "EncodingFile", "LogSink", "TextEncoding",
                                                   "AWSClients", "LambdaRuntime", "SigV4", "Settings"]),
        .executableTarget(
            name: "classroom-assistant",
            dependencies: ["ClassroomCore", "Media", "FaceRecognition", "FaceEngine", "EncodingFile", "LogSink", "TextEncoding", "AWSClients", "LambdaRuntime", "ClassroomFunction",
                           "AtomicFile", "Settings", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(name: "FhogFilterCheck", dependencies: ["DlibShim"], path: "Tests/FhogFilterCheck", cxxSettings: dlibFlags),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4", "TextEncoding", "TestSupport"]),
        .testTarget(name: "AWSClientsTests", dependencies: ["AWSClients", "LogSink", "TestSupport"]),
        .testTarget(name: "EncodingFileTests", dependencies: ["EncodingFile", "TestSupport"]),
        .testTarget(name: "ClassroomCoreTests", dependencies: ["ClassroomCore", "Media", "FaceRecognition", "FaceEngine", "Imaging", "EncodingFile", "LogSink",
                                                        "AtomicFile", "FhogFilterCheck", "TestSupport"]),
        .testTarget(name: "LambdaTests", dependencies: ["LambdaRuntime", "ClassroomFunction", "LogSink", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Settings"]),
        // The fast layer: logic only, no course data, models, servers or python.
        .testTarget(name: "UnitTests", dependencies: ["ClassroomCore", "FaceRecognition", "Media", "Imaging", "EncodingFile", "TextEncoding", "LogSink", "Settings"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)

// scripts/unit-test builds the fast layer alone: UnitTests and the targets it depends on, directly
// or not; none of the native face, HTTP or crypto code, and no package to fetch.
if Context.environment["CLASSROOM_UNIT_TESTS_ONLY"] != nil {
    let targets = Dictionary(uniqueKeysWithValues: package.targets.map { ($0.name, $0) })
    var unitLayer: Set<String> = []
    var pending = ["UnitTests"]
    while let name = pending.popLast() {
        guard unitLayer.insert(name).inserted else { continue }
        for case .byNameItem(let dependency, _) in targets[name]?.dependencies ?? [] { pending.append(dependency) }
    }
    package.targets.removeAll { !unitLayer.contains($0.name) }
    package.products = []
    package.dependencies = []
}
