/// A face track that has ended, reduced to what attendance needs of it: whom it shows, its mean
/// descriptor (which groups unknown people), when it was seen, and its crop while that can still
/// be shown.
struct EndedTrack: Codable, Equatable {
    var identity: TrackIdentity
    let meanDescriptor: [Double]
    let times: [Double]
    var face: FaceCrop?
}
