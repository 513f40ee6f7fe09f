import DlibShim
import Foundation

public struct FaceModelError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
    public var errorDescription: String? { description }
}

/// Where the two dlib models live, and the saved copy of dlib's built-in face detector that
/// `classroom-assistant save-detector` writes beside them (optional: it saves 0.27 s of CPU per start).
public struct ModelPaths: Sendable {
    public static let shapePredictorFile = "shape_predictor_5_face_landmarks.dat"
    public static let descriptorNetworkFile = "dlib_face_recognition_resnet_model_v1.dat"
    public static let detectorFile = "frontal_face_detector.dat"
    public let shapePredictor: String
    public let descriptorNetwork: String
    public let detector: String

    public init(directory: String) {
        shapePredictor = directory + "/" + Self.shapePredictorFile
        descriptorNetwork = directory + "/" + Self.descriptorNetworkFile
        detector = directory + "/" + Self.detectorFile
    }
}

/// dlib's models, read from disk once per process and shared by every worker.
public final class FaceModels: @unchecked Sendable {
    fileprivate let handle: OpaquePointer
    /// Whether the face detector came from the saved file (else dlib built its own).
    public let detectorWasSaved: Bool

    /// A saved detector file that cannot be read is reported through `warn` and replaced by
    /// dlib's built-in detector: the file only saves time.
    public init(paths: ModelPaths, warn: (String) -> Void = { _ in }) throws {
        try Self.requireSupportedCPU()
        if FileManager.default.fileExists(atPath: paths.detector) {
            do {
                handle = try Self.load(paths, savedDetector: paths.detector)
                detectorWasSaved = true
                return
            } catch let error as SavedDetectorError {
                warn("ignoring the saved face detector: \(error.reason); using dlib's built-in one"
                     + " (classroom-assistant save-detector writes a good one)")
            }
        }
        handle = try Self.load(paths, savedDetector: nil)
        detectorWasSaved = false
    }

    /// Writes dlib's built-in face detector to `path` (atomically) in the form `init` loads in 3 ms.
    public static func saveDetector(to path: String) throws {
        try requireSupportedCPU()
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        var error = [CChar](repeating: 0, count: 512)
        guard fr_detector_serialize(&bytes, &count, &error, error.count) == FR_OK, let bytes else {
            throw FaceModelError(description: "cannot serialise the face detector: \(String(cString: error))")
        }
        defer { free(bytes) }
        try AtomicFile.write(Array(UnsafeBufferPointer(start: bytes, count: count)), to: path)
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

    /// Threads each of `workers` workers running side by side should use: the cores shared out,
    /// so that they do not fight over them.
    public static func threadsPerWorker(workersRunningAtOnce workers: Int) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, workers))
    }

    /// How many threads OpenBLAS gives one face descriptor (a process-wide setting).
    public static func setDescriptorThreads(_ threads: Int) {
        _ = fr_set_blas_threads(Int32(max(1, threads)))
    }
}

/// A face box in the pixel coordinates of the image it was found in.
public struct FaceBox: Sendable, Equatable {
    public var left, top, right, bottom: Int
    public var score: Double

    public var height: Int { bottom - top + 1 }

    /// Whether two boxes are the same face: intersection over union above one half.
    func overlaps(_ other: FaceBox) -> Bool { iou(other) > 0.5 }

    /// Intersection over union: 1 for the same box, 0 for boxes apart.
    func iou(_ other: FaceBox) -> Double {
        let w = min(right, other.right) - max(left, other.left) + 1
        let h = min(bottom, other.bottom) - max(top, other.top) + 1
        guard w > 0, h > 0 else { return 0 }
        let intersection = Double(w * h)
        let area = { (b: FaceBox) in Double((b.right - b.left + 1) * (b.bottom - b.top + 1)) }
        return intersection / (area(self) + area(other) - intersection)
    }

    func scaled(by factor: Double) -> FaceBox {
        FaceBox(left: Int((Double(left) * factor).rounded()), top: Int((Double(top) * factor).rounded()),
                right: Int((Double(right) * factor).rounded()), bottom: Int((Double(bottom) * factor).rounded()),
                score: score)
    }

    fileprivate var raw: fr_rect { fr_rect(left: left, top: top, right: right, bottom: bottom, score: score) }
}

/// One thread's detector and descriptor network (dlib mutates both while running).
public final class FaceWorker {
    private let handle: OpaquePointer
    private let models: FaceModels   // the worker borrows the models' shape predictor
    private var error = [CChar](repeating: 0, count: 512)

    public init(models: FaceModels) throws {
        var handle: OpaquePointer?
        guard fr_worker_create(models.handle, &handle, &error, error.count) == FR_OK, let handle else {
            throw FaceModelError(description: "cannot create a face worker: \(String(cString: error))")
        }
        self.handle = handle
        self.models = models
    }

    deinit { fr_worker_free(handle) }

    /// HOG frontal faces in `image`; `upsample` doubles the image first to find small faces;
    /// `threads` 2 splits the scan in two for about half the wall time.
    /// `region` limits the scan to part of the image (read in place); the boxes are in the
    /// coordinates of the whole image either way.
    /// `levels` > 0 scans only the pyramid's largest levels (the smallest faces; see fr_detect).
    public func detect(in image: PixelImage, region: PixelRect? = nil, upsample: Bool = false, levels: Int = 0,
                       threads: Int = 1) throws -> [FaceBox] {
        let area = (region ?? PixelRect(x: 0, y: 0, width: image.width, height: image.height)).clipped(width: image.width, height: image.height)
        if area.isEmpty { return [] }
        var boxes = [fr_rect](repeating: fr_rect(), count: 256)
        var count: Int32 = 0
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            fr_detect(handle, fr_image(pixels: pixels.baseAddress! + area.y * image.stride + area.x * image.format.rawValue,
                                       width: area.width, height: area.height, stride: image.stride,
                                       channels: Int32(image.format.rawValue)),
                      upsample ? 1 : 0, Int32(levels), threads > 1 ? 2 : 1, &boxes, Int32(boxes.count), &count, &error, error.count)
        }
        guard status == FR_OK else { throw FaceModelError(description: "face detection failed: \(String(cString: error))") }
        return boxes.prefix(Int(count)).map {
            FaceBox(left: $0.left + area.x, top: $0.top + area.y, right: $0.right + area.x, bottom: $0.bottom + area.y, score: $0.score)
        }
    }

    /// The 128-d descriptor of each face (landmarks, aligned chip, ResNet).
    public func describe(_ faces: [FaceBox], in image: PixelImage) throws -> [[Double]] {
        if faces.isEmpty { return [] }
        let size = Int(FR_DESCRIPTOR_SIZE)
        var flat = [Double](repeating: 0, count: faces.count * size)
        let rects = faces.map(\.raw)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            fr_describe(handle, fr_image(pixels: pixels.baseAddress, width: image.width, height: image.height, stride: image.stride,
                               channels: Int32(image.format.rawValue)),
                        rects, Int32(rects.count), &flat, &error, error.count)
        }
        guard status == FR_OK else { throw FaceModelError(description: "face description failed: \(String(cString: error))") }
        return (0..<faces.count).map { Array(flat[$0 * size..<($0 + 1) * size]) }
    }
}
