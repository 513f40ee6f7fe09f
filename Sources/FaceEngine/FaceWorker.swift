import DlibShim
import FaceRecognition
import Imaging

/// One thread's detector and descriptor network (dlib mutates both while running).
public final class FaceWorker: FaceFinder {
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

    /// HOG frontal faces (see FaceFinder); the region is read in place, and two threads split the
    /// scan in two for about half the wall time (see fr_detect).
    public func detectFaces(in image: PixelImage, region: PixelRect?, upsample: Bool, levels: Int,
                            threads: Int) throws -> [FaceBox] {
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

extension FaceBox {
    fileprivate var raw: fr_rect { fr_rect(left: left, top: top, right: right, bottom: bottom, score: score) }
}
