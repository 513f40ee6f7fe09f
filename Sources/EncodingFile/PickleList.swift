/// A list: APPENDS add to it wherever the memo has shared it.
final class PickleList {
    var items: [PickleValue] = []
}
