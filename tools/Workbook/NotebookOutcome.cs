namespace Conv.Notebook.Workbook;

/// <summary>A cell that failed: it raised an error, or one of its formulas would not render.</summary>
/// <param name="Cell">The cell's 1-based number among all the notebook's cells.</param>
/// <param name="FirstLine">The first non-blank line of the cell's source.</param>
/// <param name="Message">The error's message, without a stack trace.</param>
internal sealed record CellFailure(int Cell, string FirstLine, string Message);

/// <summary>How one notebook came out: its report, its time and what failed.</summary>
/// <param name="Notebook">The notebook.</param>
/// <param name="Title">Its first <c># </c> heading, or its name when it has none.</param>
/// <param name="Elapsed">dotnet-repl's wall time for it.</param>
/// <param name="Failures">The cells that failed, in order.</param>
/// <param name="Problem">What went wrong with the run as a whole, or null.</param>
/// <param name="ReportPath">Where its report was written.</param>
internal sealed record NotebookOutcome(
    NotebookFile Notebook,
    string Title,
    TimeSpan Elapsed,
    IReadOnlyList<CellFailure> Failures,
    string? Problem,
    string ReportPath)
{
    /// <summary>Whether the notebook ran to the end without any error.</summary>
    public bool Passed => Problem is null && Failures.Count == 0;
}
