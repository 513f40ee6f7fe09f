import Imaging

/// Which parts of the frame changed since HOG last looked at them. The frame is cut into square
/// blocks; each keeps a small picture of itself as it was when last scanned, and counts as changed
/// while the frame there differs from that picture. Comparing with the last scan (not the last
/// sample) means that a slow change still adds up to a rescan. Blocks with no texture at all (a
/// black border, a bare wall) can hold no face and never need one.
struct ChangeMap {
    /// Frame pixels per thumbnail pixel, and thumbnail pixels per block side.
    static let cell = 8
    static let cellsPerBlock = 8
    static var blockSize: Int { cell * cellsPerBlock }
    /// Mean absolute difference, in gray levels, above which a block has changed.
    static let changeThreshold = 3.0
    /// Standard deviation, in gray levels, below which a block is flat.
    static let flatThreshold = 2.0
    /// A sample is a cut (another shot, another camera) when at least `cutShare` of the blocks
    /// with texture differ from the previous sample by at least `cutThreshold` gray levels.
    static let cutThreshold = 24.0
    static let cutShare = 0.5

    let frameWidth: Int
    let frameHeight: Int
    let columns: Int
    let rows: Int
    private var reference: [[UInt8]?]
    /// The update in which each block was last scanned (-1: never).
    private var scannedAt: [Int]
    /// Scans in a row of each block that found no new face.
    private var fruitlessScans: [Int]
    private var updates = 0
    /// Each block's picture in the newest frame, and whether it has texture (not flat).
    private var current: [[UInt8]] = []
    private var textured: [Bool] = []

    init(frameWidth: Int, frameHeight: Int) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        columns = (frameWidth + Self.blockSize - 1) / Self.blockSize
        rows = (frameHeight + Self.blockSize - 1) / Self.blockSize
        reference = Array(repeating: nil, count: columns * rows)
        scannedAt = Array(repeating: -1, count: columns * rows)
        fruitlessScans = Array(repeating: 0, count: columns * rows)
    }

    /// Takes the newest frame (gray, full size). `changed`: the blocks that differ from when they
    /// were last scanned (a face that left a bare wall changed it too); `worthScanning`: those of
    /// them not flat now; `isCut`: the picture is another one than the last sample's (another shot or
    /// camera).
    mutating func update(with frame: PixelImage) -> (changed: Set<Int>, worthScanning: Set<Int>, isCut: Bool) {
        let thumbnail = frame.thumbnail(cell: Self.cell)
        let blocks = (0..<columns * rows).map { Self.pixels(of: $0, in: thumbnail, columns: columns) }
        let nowTextured = blocks.map { Self.standardDeviation($0) >= Self.flatThreshold }
        let isCut = !current.isEmpty && isCut(to: blocks, textured: nowTextured)
        current = blocks
        textured = nowTextured
        updates += 1
        var changed = Set<Int>(), worthScanning = Set<Int>()
        for block in blocks.indices {
            if let before = reference[block], Self.meanDifference(blocks[block], before) <= Self.changeThreshold { continue }
            changed.insert(block)
            if nowTextured[block] { worthScanning.insert(block) }
        }
        return (changed, worthScanning, isCut)
    }

    /// Whether `blocks` (with `nowTextured`) differ from the last update's almost everywhere there
    /// is texture in either.
    private func isCut(to blocks: [[UInt8]], textured nowTextured: [Bool]) -> Bool {
        var considered = 0, different = 0
        for block in blocks.indices where nowTextured[block] || textured[block] {
            considered += 1
            if Self.meanDifference(blocks[block], current[block]) >= Self.cutThreshold { different += 1 }
        }
        return considered > 0 && Double(different) >= Self.cutShare * Double(considered)
    }

    /// Mean absolute difference of two equally cut pictures of a block (infinite if they differ in size).
    private static func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var difference = 0
        for i in a.indices { difference += abs(Int(a[i]) - Int(b[i])) }
        return Double(difference) / Double(a.count)
    }

    /// Records that the blocks lying wholly inside `rect` (frame pixels) were just scanned, and
    /// whether that scan found a face nobody had seen.
    mutating func markScanned(_ rect: PixelRect, foundNewFace: Bool = false) {
        guard !current.isEmpty else { return }
        for block in blocks(inside: rect) {
            reference[block] = current[block]
            scannedAt[block] = updates
            fruitlessScans[block] = foundNewFace ? 0 : fruitlessScans[block] + 1
        }
    }

    /// Those of `blocks` never scanned, or not for `interval` updates or more; `patientInterval`
    /// once a block's last `patienceAfter` scans found no new face.
    func unscanned(_ blocks: Set<Int>, interval: Int, patientInterval: Int, patienceAfter: Int) -> Set<Int> {
        blocks.filter { block in
            let wait = fruitlessScans[block] >= patienceAfter ? patientInterval : interval
            return scannedAt[block] < 0 || updates - scannedAt[block] >= wait
        }
    }

    /// The block's pixels in the frame (smaller at the right and bottom edges).
    func rect(of block: Int) -> PixelRect {
        PixelRect(x: (block % columns) * Self.blockSize, y: (block / columns) * Self.blockSize,
                  width: Self.blockSize, height: Self.blockSize).clipped(width: frameWidth, height: frameHeight)
    }

    /// The blocks `rect` overlaps at all.
    func blocks(touching rect: PixelRect) -> [Int] {
        let size = Self.blockSize
        let columnRange = max(0, rect.x / size)..<min(columns, (rect.maxX + size - 1) / size)
        let rowRange = max(0, rect.y / size)..<min(rows, (rect.maxY + size - 1) / size)
        guard !columnRange.isEmpty, !rowRange.isEmpty else { return [] }
        return rowRange.flatMap { row in columnRange.map { row * columns + $0 } }
    }

    /// The blocks whose centre lies in `rect`.
    func blocks(centredIn rect: PixelRect) -> [Int] {
        blocks(touching: rect).filter { rect.contains(centreOf: self.rect(of: $0)) }
    }

    /// The blocks wholly inside `rect`.
    func blocks(inside rect: PixelRect) -> [Int] {
        blocks(touching: rect).filter { rect.contains(self.rect(of: $0)) }
    }

    private static func pixels(of block: Int, in thumbnail: PixelImage, columns: Int) -> [UInt8] {
        let x0 = (block % columns) * cellsPerBlock, y0 = (block / columns) * cellsPerBlock
        var out: [UInt8] = []
        out.reserveCapacity(cellsPerBlock * cellsPerBlock)
        for y in y0..<min(y0 + cellsPerBlock, thumbnail.height) {
            for x in x0..<min(x0 + cellsPerBlock, thumbnail.width) { out.append(thumbnail.pixels[y * thumbnail.width + x]) }
        }
        return out
    }

    private static func standardDeviation(_ pixels: [UInt8]) -> Double {
        guard !pixels.isEmpty else { return 0 }
        let mean = Double(pixels.reduce(0) { $0 + Int($1) }) / Double(pixels.count)
        let variance = pixels.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(pixels.count)
        return variance.squareRoot()
    }
}
