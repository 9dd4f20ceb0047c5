import Testing

@testable import KilnLower

/// Names from the module end up in C comments: whatever they hold, the comment must stay one comment on one
/// line and compile without warnings (RELIABILITY.md line 45).
struct CWriterTests {
    @Test(arguments: [
        ("*/", "* /"), ("/*", "/ *"), ("/*/", "/ * /"), ("a\nb", "a?b"), ("??/", "? ?/"), ("???=", "? ? ?="),
        ("plain $name", "plain $name"),
    ])
    func commentSafeTextCannotEndOrNestAComment(name: String, expected: String) {
        let safe = commentSafe(name)
        #expect(safe == expected)
        #expect(!safe.contains("*/") && !safe.contains("/*") && !safe.contains("??") && !safe.contains("\n"))
    }
}
