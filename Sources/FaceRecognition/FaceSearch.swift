/// How faces are looked for in a video's sampled frames, one frame at a time: first-match mode's
/// detection ladder (FirstMatchSearch) or attendance mode's tracker (ClassroomTracker).
public protocol FaceSearch: AnyObject {
    /// Looks for faces in `frame`, sampled at `time`; false once the search needs no more frames.
    /// `checkTime` runs before each costly step and throws to stop.
    func search(_ frame: any SearchFrame, at time: Double, checkTime: () throws -> Void) throws -> Bool
}
