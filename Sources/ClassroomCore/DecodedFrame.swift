import FaceRecognition
import Imaging
import Media

/// The decoder's current frame as a FaceSearch reads it; the search's steps are timed in `report`.
final class DecodedFrame: SearchFrame {
    private let video: VideoDecoder
    var report: VideoReport

    init(_ video: VideoDecoder, report: VideoReport) {
        self.video = video
        self.report = report
    }

    var width: Int { video.info.width }
    var height: Int { video.info.height }

    func image(width: Int, height: Int, format: PixelImage.Format) throws -> PixelImage {
        try video.currentFrame(width: width, height: height, format: format)
    }

    func timing<T>(_ step: SearchStep, _ work: () throws -> T) rethrows -> T {
        try report.timing(VideoReport.Stage(rawValue: step.rawValue)!, work)
    }
}
