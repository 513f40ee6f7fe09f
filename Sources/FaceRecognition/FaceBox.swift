import Imaging

/// A face box in the pixel coordinates of the image it was found in.
public struct FaceBox: Sendable, Equatable {
    public var left, top, right, bottom: Int
    public var score: Double

    public init(left: Int, top: Int, right: Int, bottom: Int, score: Double) {
        (self.left, self.top, self.right, self.bottom, self.score) = (left, top, right, bottom, score)
    }

    public var height: Int { bottom - top + 1 }

    /// Whether two boxes are the same face: intersection over union above one half.
    public func overlaps(_ other: FaceBox) -> Bool { iou(other) > 0.5 }

    /// Intersection over union: 1 for the same box, 0 for boxes apart.
    public func iou(_ other: FaceBox) -> Double {
        let w = min(right, other.right) - max(left, other.left) + 1
        let h = min(bottom, other.bottom) - max(top, other.top) + 1
        guard w > 0, h > 0 else { return 0 }
        let intersection = Double(w * h)
        let area = { (b: FaceBox) in Double((b.right - b.left + 1) * (b.bottom - b.top + 1)) }
        return intersection / (area(self) + area(other) - intersection)
    }

    public func scaled(by factor: Double) -> FaceBox {
        FaceBox(left: Int((Double(left) * factor).rounded()), top: Int((Double(top) * factor).rounded()),
                right: Int((Double(right) * factor).rounded()), bottom: Int((Double(bottom) * factor).rounded()),
                score: score)
    }
}

extension PixelRect {
    /// The pixels a face box covers.
    public init(_ box: FaceBox) {
        self.init(x: box.left, y: box.top, width: box.right - box.left + 1, height: box.bottom - box.top + 1)
    }
}
