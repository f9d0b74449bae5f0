import TandemJSON
@testable import TandemCUE
import Testing

/// A disjunction of basic values in a field that holds only a basic value is resolved by
/// meeting each branch with that value, not by evaluating a copy of the field per branch;
/// the results are those the copies give.
struct BasicDisjunctionTests {
    @Test func eachBranchIsMetWithoutACopyOfTheField() throws {
        let context = CUEContext()
        let root = try context.evaluate(source: "x: *10 | int", injecting: [(["x"], 5)])
        let x = try #require(root.lookup(["x"]))
        let start = context.steps
        #expect(try x.export() == 5)
        // The field, its two conjuncts, one step per branch, the export: a copy per branch
        // would be at least seven steps each.
        #expect(context.steps - start <= 8, "\(context.steps - start) steps")
    }

    @Test func theResultsAreThoseOfTryingEachBranch() throws {
        #expect(try export("a: *1 | int", ["a"]) == 1)
        #expect(try export("a: *1 | int\na: 2", ["a"]) == 2)
        #expect(try export("a: \"x\" | \"y\"\na: \"y\"", ["a"]) == "y")
        #expect(try export("a: *\"x\" | \"x\" | \"y\"", ["a"]) == "x")
        #expect(try export("a: >=1 | \"any\"\na: 3", ["a"]) == 3)
        #expect(try export("a: int & (*1 | 2)", ["a"]) == 1)
        let root = try CUEContext().evaluate(source: "a: *1 | int\nb: \"x\" | \"y\"\nc: string | int")
        #expect(root.lookup(["a"])?.typeDescription == "*1 | int")
        // Without a marked default, every branch counts as one (as the copies have it).
        #expect(root.lookup(["b"])?.typeDescription == "*\"x\" | *\"y\"")
        #expect(root.lookup(["c"])?.typeDescription == "*string | *int")
        // No branch survives: the error is worded as before, from the branches tried.
        let conflict = try #require(try exportError("a: *1 | 2\na: 3", ["a"]))
        #expect(conflict.message == "2 errors in empty disjunction: conflicting values 1 and 3; conflicting values 2 and 3", "\(conflict)")
        // Not concrete: reported at the field, as a disjunction without a default.
        let open = try #require(try exportError("b: \"x\" | \"y\"", ["b"]))
        #expect(open.kind == .incomplete, "\(open)")
    }
}
