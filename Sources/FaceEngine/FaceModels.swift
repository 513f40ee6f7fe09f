import DlibShim
import FaceRecognition
import FoundationEssentials
import Glibc
import LogSink

/// dlib's models, read from disk once per process and shared by every worker.
public final class FaceModels: FaceFinderSource, @unchecked Sendable {
    let handle: OpaquePointer
    /// Whether the face detector came from the saved file (else dlib built its own).
    public let detectorWasSaved: Bool

    /// A saved detector file that cannot be read is reported through `log` and replaced by
    /// dlib's built-in detector: the file only saves time.
    public init(paths: ModelPaths, log: LogSink = .none) throws {
        try Self.requireSupportedCPU()
        if FileManager.default.fileExists(atPath: paths.detector) {
            do {
                handle = try Self.load(paths, savedDetector: paths.detector)
                detectorWasSaved = true
                return
            } catch let error as SavedDetectorError {
                log("ignoring the saved face detector: \(error.reason); using dlib's built-in one"
                     + " (classroom-assistant save-detector writes a good one)")
            }
        }
        handle = try Self.load(paths, savedDetector: nil)
        detectorWasSaved = false
    }

    /// dlib's built-in face detector in the form `init` loads fastest (save-detector writes it).
    public static func serializedDetector() throws -> [UInt8] {
        try requireSupportedCPU()
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        var error = [CChar](repeating: 0, count: 512)
        guard fr_detector_serialize(&bytes, &count, &error, error.count) == FR_OK, let bytes else {
            throw FaceModelError(description: "cannot serialise the face detector: \(String(cString: error))")
        }
        defer { free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: count))
    }

    private struct SavedDetectorError: Error, LocalizedError {
        let reason: String
        var errorDescription: String? { reason }
    }

    private static func load(_ paths: ModelPaths, savedDetector: String?) throws -> OpaquePointer {
        var handle: OpaquePointer?
        var error = [CChar](repeating: 0, count: 1024)
        let status = fr_models_load(paths.shapePredictor, paths.descriptorNetwork, savedDetector, &handle, &error, error.count)
        if status == FR_OK, let handle { return handle }
        if status == FR_ERR_DETECTOR { throw SavedDetectorError(reason: String(cString: error)) }
        throw FaceModelError(description: "cannot load the face models: \(String(cString: error))"
                             + " (run scripts/fetch-models, or set MODELS_DIR)")
    }

    private static func requireSupportedCPU() throws {
        guard fr_cpu_supported() != 0 else {
            throw FaceModelError(description: "this CPU lacks AVX2 and FMA, which this build of the face detector needs"
                                 + " (every x86-64 Lambda host and any x86-64 CPU since 2015 has them)")
        }
    }

    deinit { fr_models_free(handle) }

    public func makeFinder() throws -> any FaceFinder { try FaceWorker(models: self) }

    /// How many threads OpenBLAS gives one face descriptor (a process-wide setting).
    public static func setDescriptorThreads(_ threads: Int) {
        _ = fr_set_blas_threads(Int32(max(1, threads)))
    }
}
