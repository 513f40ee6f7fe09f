import Imaging

/// What recognition asks of a face engine, one thread's worth: find faces, then describe them.
/// FaceEngine's FaceWorker does it with dlib; the logic above it (tracker, pipeline, enrolment)
/// needs no native code to build or to test.
public protocol FaceFinder: AnyObject {
    /// Frontal faces in `image`: `region` limits the scan (boxes stay in whole-image coordinates),
    /// `upsample` doubles the image first to find small faces, `levels` > 0 scans only the
    /// pyramid's largest levels (the smallest faces), `threads` > 1 splits the scan.
    func detectFaces(in image: PixelImage, region: PixelRect?, upsample: Bool, levels: Int, threads: Int) throws -> [FaceBox]
    /// One descriptor per face, in order.
    func describe(_ faces: [FaceBox], in image: PixelImage) throws -> [[Double]]
}

extension FaceFinder {
    /// `detectFaces` with the whole image, no upsampling, every level and one thread unless told.
    public func detect(in image: PixelImage, region: PixelRect? = nil, upsample: Bool = false, levels: Int = 0,
                       threads: Int = 1) throws -> [FaceBox] {
        try detectFaces(in: image, region: region, upsample: upsample, levels: levels, threads: threads)
    }
}

/// Where each thread's FaceFinder comes from (FaceEngine's FaceModels: the models loaded once).
public protocol FaceFinderSource {
    func makeFinder() throws -> any FaceFinder
}
