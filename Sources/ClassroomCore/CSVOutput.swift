import RequestContext

/// Where the CSV goes: the output names its path, the pipeline renders the file and hands it back.
public protocol CSVOutput {
    func csvPath(for input: VideoInput) -> String
    func store(_ csv: RenderedFile, context: RequestContext) throws
}
