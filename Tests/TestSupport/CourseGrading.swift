/// The course's check of a CSV (scripts/harness/grading.py): one line `name,major,year` whose major and
/// year are what `mapping` says for the course video (the mapping's `freshman` is student_data's `freshmen`).
public enum CourseGrading {
    public struct Graded: Decodable {
        public let video: String
        public let csv: String
        /// Why the CSV is wrong, or nil when it is right.
        public let problem: String?
    }

    /// Grades each CSV file as the course video named beside it (`test_0.mp4`); `mode` "all" allows
    /// attendance's extra fields.
    public static func grade(_ csvs: [(video: String, csv: String)], mode: String = "first") throws -> [Graded] {
        try Harness.decode([Graded].self, ["grade", "--mode", mode] + csvs.map { "\($0.video)=\($0.csv)" })
    }

    /// Who each course clip of test_case_1 shows, by clip stem ("test_0" → name).
    public static func namesByClip() throws -> [String: String] {
        try Harness.decode([String: String].self, ["course-names", "--test-case", "1"])
    }
}
