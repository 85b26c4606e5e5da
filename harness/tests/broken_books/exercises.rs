//! Exercises: the chapter shows a starter and a goal (an output, or tests);
//! the solution, kept out of the page, must reach the goal, and the starter
//! must not yet.

use crate::fixture::*;
use crate::listings::*;

fn of(listing: &str, problems: Vec<harness::Problem>) -> Vec<harness::Problem> {
    problems
        .into_iter()
        .filter(|p| p.file.starts_with(listing))
        .collect()
}

/// An output goal: a solution that prints something else fails, naming
/// it; so does a starter that already prints the goal.
#[test]
fn an_exercises_solution_must_print_its_goal_and_its_starter_must_not() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        assert!(of(BOIL, outputs(&book)).is_empty());
        let solution = format!("{BOIL}/solution/main.rs");
        book.edit(&solution, "* 80.0", "* 100.0");
        assert_problem(
            &of(BOIL, outputs(&book)),
            &format!("{BOIL}/output.txt"),
            "its solution (solution/) does not reach the goal",
        );
        book.edit(&solution, "* 100.0", "* 80.0");
        book.edit(
            &format!("{BOIL}/src/main.rs"),
            "todo!(\"{} litres at {} watts\", self.litres, self.watts)",
            "self.litres * 4186.0 * 80.0 / self.watts",
        );
        assert_problem(
            &of(BOIL, outputs(&book)),
            &format!("{BOIL}/src"),
            "its starter already prints the goal",
        );
    });
}

/// A tests goal: a solution that fails a test fails, naming the test; so
/// does a starter that already passes them; and an exercise with no
/// solution says where it goes.
#[test]
fn an_exercises_solution_must_pass_its_tests_and_its_starter_must_not() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        assert!(of(LEAP, outputs(&book)).is_empty());
        let solution = format!("{LEAP}/solution/lib.rs");
        book.edit(&solution, "year % 400 == 0", "year % 300 == 0");
        assert_problem(
            &of(LEAP, outputs(&book)),
            &format!("{LEAP}/solution"),
            "a_four_hundredth_year_is",
        );
        book.edit(&solution, "year % 300 == 0", "year % 400 == 0");
        book.edit(
            &format!("{LEAP}/src/lib.rs"),
            "todo!(\"is {year} a leap year?\")",
            "year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)",
        );
        assert_problem(
            &of(LEAP, outputs(&book)),
            &format!("{LEAP}/src"),
            "its starter already passes the goal's tests",
        );
        book.remove(&solution);
        assert_problem(
            &of(LEAP, outputs(&book)),
            &format!("{LEAP}/solution"),
            "so it needs its solution in solution/",
        );
    });
}
