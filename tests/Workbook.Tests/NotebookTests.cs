using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbook.Tests;

/// <summary>Every committed notebook, executed by the main command under the pinned .NET Interactive kernel.</summary>
[Collection(FullRunCollection.Name)]
public sealed partial class NotebookTests(FullRunFixture fixture)
{
    /// <summary>Proper names written with inner capitals, which a table header may use as they are.</summary>
    private static readonly HashSet<string> NamesWithInnerCapitals = ["PyTorch", "NumPy", "MathNet", "FftSharp", "ResNet", "BenchmarkDotNet"];

    private readonly WorkbookRun _run = fixture.Run;

    public static TheoryData<string> Notebooks => new(WorkbookRun.Notebooks);

    [Fact]
    public void The_main_command_succeeds_and_reports_its_wall_time()
    {
        Assert.True(_run.ExitCode == 0, $"exit code {_run.ExitCode}:\n{_run.Console}");
        Assert.Matches(@"(?i)wall time", _run.Console);
    }

    [Fact]
    public void There_is_one_notebook_per_exercise()
    {
        string[] numbers = WorkbookRun.Notebooks.Select(n => n[..3]).ToArray();

        Assert.Equal(["01-", "02-", "03-", "04-", "05-", "06-"], numbers);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_has_the_csharp_kernel_and_no_outputs(string name)
    {
        using JsonDocument notebook = Committed(name);
        JsonElement root = notebook.RootElement;

        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach ((_, _, JsonElement cell) in CodeCells(notebook))
        {
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
        }
    }

    /// <summary>
    /// A report shows a code cell in a box about 100 characters wide (900-pixel page, 13.5-pixel monospace); a longer line
    /// is read by scrolling the box sideways, and a screenshot or a printout cuts it off. The set-up cells, folded away in
    /// the report, are left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_code_lines_fit_the_report_code_box(string name)
    {
        using JsonDocument notebook = Committed(name);
        foreach ((int index, string source, _) in CodeCells(notebook).Where(c => !IsSetup(c.Source)))
        {
            foreach (string line in source.Split('\n'))
            {
                Assert.True(line.Length <= 100, $"{name}, cell {index}: a line of {line.Length} characters: {line}");
            }
        }
    }

    /// <summary>The book keeps its code cells to a few lines; ours take at most 15, outside the folded set-up.</summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_code_cells_have_at_most_15_lines(string name)
    {
        using JsonDocument notebook = Committed(name);
        string[] tooLong = CodeCells(notebook)
            .Where(c => !IsSetup(c.Source))
            .Select(c => (c.Index, Lines: c.Source.TrimEnd().Split('\n').Length))
            .Where(c => c.Lines > 15)
            .Select(c => $"cell {c.Index}: {c.Lines} lines")
            .ToArray();

        Assert.True(tooLong.Length == 0, $"{name} has code cells of more than 15 lines: {string.Join(", ", tooLong)}");
    }

    /// <summary>
    /// A notebook opens with its answer: its title, the exercise's words (the paragraph that quotes <i>Dive into Deep
    /// Learning</i>), then a paragraph starting with <c>**Answer**</c>, in the first markdown cell or, when that holds only
    /// the title and the exercise, the second, before any code cell but set-up.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_opens_with_the_answer(string name)
    {
        using JsonDocument notebook = Committed(name);
        var opening = new List<(int MarkdownCell, string Paragraph)>();
        int markdownCells = 0;
        foreach (JsonElement cell in notebook.RootElement.GetProperty("cells").EnumerateArray())
        {
            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(line => line.GetString()));
            string kind = cell.GetProperty("cell_type").GetString()!;
            if (kind == "code" && !IsSetup(source)) break;
            if (kind != "markdown") continue;
            markdownCells++;
            opening.AddRange(ParagraphBreak().Split(source).Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => (markdownCells, p)));
        }
        string[] paragraphs = opening.Select(p => p.Paragraph).ToArray();
        string before = string.Join("\n", paragraphs.Take(4).Select(p => "  " + (p.Length > 80 ? p[..80] + "…" : p)));

        Assert.True(paragraphs.Length >= 3, $"{name} has {paragraphs.Length} paragraphs before its first code cell:\n{before}");
        Assert.True(paragraphs[0].StartsWith("# ", StringComparison.Ordinal), $"{name} does not open with its title:\n{before}");
        Assert.True(paragraphs[1].StartsWith("*Dive into Deep Learning*", StringComparison.Ordinal),
            $"{name}: the title is not followed by the exercise's words:\n{before}");
        Assert.True(AnswerParagraph().IsMatch(paragraphs[2]),
            $"{name}: the title and the exercise are followed by something other than an **Answer** paragraph:\n{before}");
        Assert.True(opening[2].MarkdownCell <= 2, $"{name}: the **Answer** paragraph is in markdown cell {opening[2].MarkdownCell}");
    }

    /// <summary>
    /// A table header reads as words and units (<c>stride</c>, <c>time a call (ms)</c>, <c>H × W</c>), not as a C# property
    /// name: no word of it runs two capitalised parts together (<c>HopMs</c>, <c>MaxAbsDiff</c>, <c>nsPerMac</c>) or joins
    /// words with underscores, proper names such as PyTorch and PyTorch's layer names (<c>ConvTranspose2d</c>) aside.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Executed_notebook_table_headers_are_words(string name)
    {
        string[] identifiers = Listed(TableCells(name, "th")
            .Where(c => Words().Matches(c.Text).Select(w => w.Value).Any(IsIdentifier)));

        Assert.True(identifiers.Length == 0, $"{name} has table headers that read as identifiers:\n{string.Join("\n", identifiers)}");
    }

    /// <summary>A table never shows a negative zero (<c>-0</c>, <c>-0.00</c>), whose sign a reader would take for a meaning it lacks.</summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Executed_notebook_tables_show_no_negative_zero(string name)
    {
        string[] negativeZeros = Listed(TableCells(name, "td").Concat(TableCells(name, "th"))
            .Where(c => NegativeZero().IsMatch(c.Text)));

        Assert.True(negativeZeros.Length == 0, $"{name} has table cells reading a negative zero:\n{string.Join("\n", negativeZeros)}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Executed_notebook_has_no_error_and_an_output_for_every_code_cell_but_setup(string name)
    {
        string path = Path.Combine(_run.Output, "notebooks", name);
        Assert.True(File.Exists(path), $"{name} was not executed:\n{_run.Console}");
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(path));

        foreach ((int index, string source, JsonElement cell) in CodeCells(notebook))
        {
            JsonElement[] outputs = cell.GetProperty("outputs").EnumerateArray().ToArray();
            foreach (JsonElement output in outputs.Where(o => o.GetProperty("output_type").GetString() == "error"))
            {
                Assert.Fail($"{name}, cell {index}: {output.GetProperty("evalue").GetString()}\n{source}");
            }
            if (!IsSetup(source))
            {
                Assert.True(outputs.Length > 0, $"{name}, cell {index} shows nothing:\n{source}");
            }
        }
    }

    /// <summary>Table cells as a failure message lists them, each once: <c>cell 12: "HopMs"</c>.</summary>
    private static string[] Listed(IEnumerable<(int Index, string Text)> cells) =>
        cells.Select(c => $"cell {c.Index}: \"{c.Text}\"").Distinct().ToArray();

    /// <summary>The text of every <paramref name="tag"/> element in the HTML outputs of an executed notebook, by code cell.</summary>
    private IEnumerable<(int Index, string Text)> TableCells(string name, string tag)
    {
        string path = Path.Combine(_run.Output, "notebooks", name);
        Assert.True(File.Exists(path), $"{name} was not executed:\n{_run.Console}");
        using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<(int, string)>();
        foreach ((int index, _, JsonElement cell) in CodeCells(notebook))
        {
            foreach (JsonElement output in cell.GetProperty("outputs").EnumerateArray())
            {
                if (!output.TryGetProperty("data", out JsonElement data) || !data.TryGetProperty("text/html", out JsonElement html)) continue;
                string markup = html.ValueKind == JsonValueKind.Array
                    ? string.Concat(html.EnumerateArray().Select(line => line.GetString()))
                    : html.GetString()!;
                foreach (Match element in Regex.Matches(markup, $@"<{tag}\b[^>]*>(?<text>.*?)</{tag}>", RegexOptions.Singleline))
                {
                    string text = WebUtility.HtmlDecode(Tag().Replace(element.Groups["text"].Value, ""));
                    cells.Add((index, Whitespace().Replace(text, " ").Trim()));
                }
            }
        }
        return cells;
    }

    private static JsonDocument Committed(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkbookRun.Root, "notebooks", name)));

    /// <summary>The code cells of a notebook: each one's position among all its cells (from 1), its source, the cell.</summary>
    private static IEnumerable<(int Index, string Source, JsonElement Cell)> CodeCells(JsonDocument notebook) =>
        notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Select((cell, i) => (Index: i + 1, Cell: cell))
            .Where(c => c.Cell.GetProperty("cell_type").GetString() == "code")
            .Select(c => (c.Index, string.Concat(c.Cell.GetProperty("source").EnumerateArray().Select(line => line.GetString())), c.Cell));

    /// <summary>A word of a table header that reads as a C# (or Python) name rather than a word.</summary>
    private static bool IsIdentifier(string word) =>
        (CapitalisedPart().Count(word) >= 2 || word.Trim('_').Contains('_'))
        && !NamesWithInnerCapitals.Contains(word)
        && !PyTorchLayer().IsMatch(word);

    /// <summary>A set-up cell begins with a <c>// setup</c> comment, as the workbook's reports recognise it (and fold it away).</summary>
    private static bool IsSetup(string source) => source.StartsWith("// setup", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a markdown cell's paragraphs part: at a blank line, and after a heading line.</summary>
    [GeneratedRegex(@"\n[ \t]*\n|(?<=^#{1,6} [^\n]*)\n", RegexOptions.Multiline)]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"^\*\*Answer\b")]
    private static partial Regex AnswerParagraph();

    [GeneratedRegex(@"[A-Za-z0-9_]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"[A-Z][a-z]")]
    private static partial Regex CapitalisedPart();

    [GeneratedRegex(@"^[A-Z][A-Za-z]+[123]d$")]
    private static partial Regex PyTorchLayer();

    /// <summary>A minus sign (hyphen or U+2212) before a zero with only zeros after its point, not part of a longer word or number.</summary>
    [GeneratedRegex(@"(?<![\w.])[-\u2212]0(?:\.0+)?(?![\w.])")]
    private static partial Regex NegativeZero();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
