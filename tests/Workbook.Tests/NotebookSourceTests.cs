using System.Text.Json;

namespace Workbook.Tests;

/// <summary>The committed notebooks as a reader of their reports sees their code, without running them.</summary>
public sealed class NotebookSourceTests
{
    public static TheoryData<string> Notebooks => new(WorkbookRun.Notebooks);

    /// <summary>
    /// A report shows a code cell in a box about 100 characters wide (900-pixel page, 13.5-pixel monospace); a longer line
    /// is read by scrolling the box sideways, and a screenshot or a printout cuts it off. The set-up cells, folded away in
    /// the report, are left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Code_lines_fit_the_report_code_box(string name)
    {
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkbookRun.Root, "notebooks", name)));
        int index = 0;
        foreach (JsonElement cell in notebook.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(line => line.GetString()));
            if (source.StartsWith("// setup", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (string line in source.Split('\n'))
            {
                Assert.True(line.Length <= 100, $"{name}, cell {index}: a line of {line.Length} characters: {line}");
            }
        }
    }
}
