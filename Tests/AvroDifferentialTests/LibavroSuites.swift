import Testing

/// Every suite that calls libavro, run one test at a time: libavro's error text is per thread, and the
/// leak check counts libavro's live bytes process-wide, so no other libavro work may overlap it.
@Suite(.serialized)
enum LibavroSuites {}
