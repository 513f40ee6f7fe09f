import AWSClients

extension S3Event {
    public struct Bucket: Decodable, Equatable {
        public let name: String
        public let arn: String?

        /// Why `name` is not a general purpose bucket name by S3's naming rules, or nil when it is one.
        public static func nameProblem(_ name: String) -> String? { S3Location.bucketNameProblem(name) }
    }
}
