/// A rectangle of whole pixels in an upright frame: `x ..< x + width`, `y ..< y + height`.
public struct PixelRect: Sendable, Equatable {
    public var x, y, width, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var area: Int { width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Grown by `margin` on every side.
    public func expanded(by margin: Int) -> PixelRect {
        PixelRect(x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin)
    }

    public func clipped(width frameWidth: Int, height frameHeight: Int) -> PixelRect {
        let left = max(0, x), top = max(0, y)
        return PixelRect(x: left, y: top, width: max(0, min(maxX, frameWidth) - left), height: max(0, min(maxY, frameHeight) - top))
    }

    public func intersects(_ other: PixelRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    public func contains(_ other: PixelRect) -> Bool {
        x <= other.x && y <= other.y && other.maxX <= maxX && other.maxY <= maxY
    }

    public func contains(centreOf other: PixelRect) -> Bool {
        let (cx, cy) = (other.x + other.width / 2, other.y + other.height / 2)
        return cx >= x && cx < maxX && cy >= y && cy < maxY
    }

    public func union(_ other: PixelRect) -> PixelRect {
        let left = min(x, other.x), top = min(y, other.y)
        return PixelRect(x: left, y: top, width: max(maxX, other.maxX) - left, height: max(maxY, other.maxY) - top)
    }

    /// Cut into the fewest tiles, in a grid, of at most `maxArea` pixels each, every tile
    /// overlapping its neighbours by `overlap` pixels (so that anything up to that size lies whole
    /// in one tile); itself when small enough. Each cut goes across the longer side of the tiles.
    /// At most 64 tiles: where the overlap leaves no smaller tile, they stay larger than asked.
    public func tiles(maxArea: Double, overlap: Int) -> [PixelRect] {
        var columns = 1, rows = 1
        func side(_ length: Int, _ parts: Int) -> Int { parts == 1 ? length : min(length, (length + parts - 1) / parts + overlap) }
        while Double(side(width, columns)) * Double(side(height, rows)) > maxArea {
            let wider = side(width, columns) >= side(height, rows)
            guard (wider ? columns + 1 : columns) * (wider ? rows : rows + 1) <= 64 else { break }
            if wider { columns += 1 } else { rows += 1 }
        }
        if columns * rows == 1 { return [self] }
        let (tileWidth, tileHeight) = (side(width, columns), side(height, rows))
        // Evenly spaced, the first at this rect's start and the last at its end.
        func start(_ index: Int, of parts: Int, length: Int, tile: Int) -> Int { parts == 1 ? 0 : (length - tile) * index / (parts - 1) }
        return (0..<rows).flatMap { row in
            (0..<columns).map { column in
                PixelRect(x: x + start(column, of: columns, length: width, tile: tileWidth),
                          y: y + start(row, of: rows, length: height, tile: tileHeight), width: tileWidth, height: tileHeight)
            }
        }
    }
}
