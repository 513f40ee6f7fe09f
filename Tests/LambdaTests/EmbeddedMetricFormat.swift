import Foundation

/// The required fields of CloudWatch's Embedded Metric Format specification
/// (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
/// checked on one parsed log line: what CloudWatch needs to turn it into metrics.
enum EmbeddedMetricFormat {
    static let units: Set<String> = [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
        "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
        "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ]

    /// What makes `line` invalid EMF; empty when it is valid.
    static func problems(_ line: [String: Any]) -> [String] {
        guard let aws = line["_aws"] as? [String: Any] else { return ["no _aws object"] }
        var problems: [String] = []
        if (aws["Timestamp"] as? Int) == nil { problems.append("_aws.Timestamp is not an integer of milliseconds: \(aws["Timestamp"] ?? "none")") }
        guard let directives = aws["CloudWatchMetrics"] as? [[String: Any]] else { return problems + ["no _aws.CloudWatchMetrics array"] }
        for directive in directives {
            let namespace = directive["Namespace"] as? String ?? ""
            if !(1...1024).contains(namespace.count) { problems.append("a Namespace of 1 to 1024 characters is required: '\(namespace)'") }
            guard let dimensionSets = directive["Dimensions"] as? [[String]] else {
                problems.append("Dimensions must be an array of arrays of strings")
                continue
            }
            for set in dimensionSets {
                if set.count > 30 { problems.append("a dimension set has more than 30 dimensions") }
                for name in set where !((line[name] as? String).map { (1...1024).contains($0.count) } ?? false) {
                    problems.append("dimension \(name) has no string member of 1 to 1024 characters")
                }
            }
            guard let metrics = directive["Metrics"] as? [[String: Any]], metrics.count <= 100 else {
                problems.append("Metrics must be an array of at most 100 metric definitions")
                continue
            }
            for metric in metrics {
                guard let name = metric["Name"] as? String, (1...1024).contains(name.count) else {
                    problems.append("a metric has no Name of 1 to 1024 characters")
                    continue
                }
                if let unit = metric["Unit"], !((unit as? String).map(units.contains) ?? false) {
                    problems.append("metric \(name) has unit \(unit), not a CloudWatch unit")
                }
                let value = line[name]
                let isNumber = value is NSNumber || value is Double || value is Int
                let isNumbers = (value as? [Double]).map { $0.count <= 100 } ?? false
                if !(isNumber || isNumbers) { problems.append("metric \(name) has no number member: \(value ?? "none")") }
            }
        }
        return problems
    }
}
