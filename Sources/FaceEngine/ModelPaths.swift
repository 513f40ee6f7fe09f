/// Where the two dlib models live, and the saved copy of dlib's built-in face detector that
/// `classroom-assistant save-detector` writes beside them (optional: it saves CPU at every start).
public struct ModelPaths: Sendable {
    public static let shapePredictorFile = "shape_predictor_5_face_landmarks.dat"
    public static let descriptorNetworkFile = "dlib_face_recognition_resnet_model_v1.dat"
    public static let detectorFile = "frontal_face_detector.dat"
    public let shapePredictor: String
    public let descriptorNetwork: String
    public let detector: String

    public init(directory: String) {
        shapePredictor = directory + "/" + Self.shapePredictorFile
        descriptorNetwork = directory + "/" + Self.descriptorNetworkFile
        detector = directory + "/" + Self.detectorFile
    }
}
