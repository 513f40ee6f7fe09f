import FaceRecognition
import Foundation
import XCTest

/// Issue 21: a fanned-out chunk is stored without the crops of people nobody enrolled (unless the
/// operator opts in), and the merge gives the same attendance without them.
final class AttendanceChunkPrivacyTests: XCTestCase {
    /// A chunk with a named track and an unknown one, each with a 2x2 crop, as a partial stores it.
    private func chunk() throws -> AttendanceChunk {
        let crop = #"{"width":2,"height":2,"rgb":"\#(Data(repeating: 7, count: 12).base64EncodedString())"}"#
        func track(_ name: String?, _ value: Double, times: [Double]) -> String {
            let identity = name.map { #"{"name":"\#($0)","distance":0.3,"bestDistance":0.25}"# }
                ?? #"{"distance":0.8,"bestDistance":0.7}"#
            let descriptor = Array(repeating: value, count: 128).map { "\($0)" }.joined(separator: ",")
            return #"{"identity":\#(identity),"meanDescriptor":[\#(descriptor)],"times":\#(times),"face":\#(crop)}"#
        }
        let json = #"[{"index":0,"sampledTimes":[0,1,2],"framesDecoded":3,"tracks":[\#(track("floki", 0, times: [0, 1])),\#(track(nil, 1, times: [2]))]}]"#
        return try XCTUnwrap([AttendanceChunk].decode(Array(json.utf8)).first)
    }

    func testUnknownCropsAreDroppedAndTheMergeIsUnchanged() throws {
        let original = try chunk()
        let dropped = original.droppingUnknownCrops()
        XCTAssertEqual(dropped.names, ["floki"])
        let text = String(decoding: try [dropped].encoded(), as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "\"rgb\"").count - 1, 1, "only the named track keeps its crop: \(text)")
        let before = AttendanceChunk.merge([original], tolerance: 0.6, keepsStrangerFaces: true)
        let after = AttendanceChunk.merge([dropped], tolerance: 0.6, keepsStrangerFaces: true)
        XCTAssertEqual(before.unknownPeople, 1)
        XCTAssertEqual(after.unknownPeople, 1)
        XCTAssertEqual(after.sightings.map(\.name), before.sightings.map(\.name))
        XCTAssertNil(after.strangers.first?.face)
        XCTAssertNotNil(before.strangers.first?.face)
    }
}
