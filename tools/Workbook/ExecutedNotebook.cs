using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>The kind of a notebook cell.</summary>
internal enum CellKind
{
    /// <summary>Markdown prose.</summary>
    Markdown,

    /// <summary>Code that the kernel runs.</summary>
    Code,

    /// <summary>Raw text, shown as it is.</summary>
    Raw,
}

/// <summary>One output of a code cell.</summary>
internal abstract record CellOutput;

/// <summary>A <c>display_data</c> or <c>execute_result</c>: the same value in one or more MIME types.</summary>
/// <param name="Data">Each MIME type's content as text (JSON content as its JSON text).</param>
internal sealed record RichOutput(IReadOnlyDictionary<string, string> Data) : CellOutput
{
    /// <summary>The content of a MIME type, if the output has it.</summary>
    /// <param name="mimeType">Such as <c>text/html</c>.</param>
    /// <returns>The content or null.</returns>
    public string? Get(string mimeType) => Data.TryGetValue(mimeType, out string? value) ? value : null;
}

/// <summary>Text the cell wrote; dotnet-repl merges stdout and stderr into one stream.</summary>
/// <param name="Name">The stream's name, <c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Text">What was written.</param>
internal sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>An error the cell raised: an exception or a compilation error.</summary>
/// <param name="Name">The error's name; dotnet-repl always writes <c>Error</c>.</param>
/// <param name="Value">The message, with an exception's stack trace after it.</param>
/// <param name="Traceback">The traceback lines, often empty.</param>
internal sealed partial record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput
{
    /// <summary>
    /// The error without its stack trace, such as <c>System.ArgumentException: …</c> or
    /// <c>(1,9): error CS0029: …</c>; a compilation error may span several lines.
    /// </summary>
    public string Message
    {
        get
        {
            string[] lines = Value.ReplaceLineEndings("\n").Split('\n');
            int stack = Array.FindIndex(lines, l => StackLine().IsMatch(l));
            string message = string.Join('\n', stack < 0 ? lines : lines[..stack]).Trim();
            return message.Length > 0 ? message : Name;
        }
    }

    /// <summary>The stack trace after the message, empty for a compilation error.</summary>
    public string StackTrace
    {
        get
        {
            string[] lines = Value.ReplaceLineEndings("\n").Split('\n');
            int stack = Array.FindIndex(lines, l => StackLine().IsMatch(l));
            return stack < 0 ? "" : string.Join('\n', lines[stack..]).TrimEnd();
        }
    }

    [GeneratedRegex(@"^\s+at |^--- End of ")]
    private static partial Regex StackLine();
}

/// <summary>One cell of a notebook.</summary>
/// <param name="Number">Its 1-based position among all the notebook's cells.</param>
/// <param name="Kind">Markdown, code or raw.</param>
/// <param name="Source">Its source text.</param>
/// <param name="Language">The kernel language of a code cell, such as <c>csharp</c>.</param>
/// <param name="Outputs">What running it produced, in order.</param>
internal sealed record NotebookCell(int Number, CellKind Kind, string Source, string Language, IReadOnlyList<CellOutput> Outputs)
{
    /// <summary>
    /// Whether the cell is set-up code that readers may skip: its source begins with the comment line
    /// <c>// setup</c> (any text after the word is allowed, as in <c>// setup: load the helper</c>).
    /// </summary>
    public bool IsSetup
    {
        get
        {
            string first = Source.TrimStart().Split('\n', 2)[0].Trim();
            if (!first.StartsWith("// setup", StringComparison.OrdinalIgnoreCase)) return false;
            return first.Length == "// setup".Length || !char.IsLetterOrDigit(first["// setup".Length]);
        }
    }

    /// <summary>The first line of the source that is not blank, for messages that name the cell.</summary>
    public string FirstLine =>
        Source.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>The errors among the outputs.</summary>
    public IEnumerable<ErrorOutput> Errors => Outputs.OfType<ErrorOutput>();
}

/// <summary>A notebook as dotnet-repl wrote it after running it (or as authored, when it wrote nothing).</summary>
/// <param name="Cells">The cells in order.</param>
internal sealed partial record ExecutedNotebook(IReadOnlyList<NotebookCell> Cells)
{
    /// <summary>The text of the first markdown <c># </c> heading, or null when there is none.</summary>
    public string? Title =>
        Cells.Where(c => c.Kind == CellKind.Markdown)
            .SelectMany(c => c.Source.ReplaceLineEndings("\n").Split('\n'))
            .Select(l => TopHeading().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups["title"].Value.Trim())
            .FirstOrDefault(t => t.Length > 0);

    /// <summary>Reads a notebook file.</summary>
    /// <param name="path">The <c>.ipynb</c> file.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="InvalidDataException">The file is not a notebook in nbformat 4.</exception>
    public static ExecutedNotebook Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a notebook's JSON.</summary>
    /// <param name="json">The nbformat 4 JSON.</param>
    /// <param name="origin">Where it came from, for error messages.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="InvalidDataException">The JSON is not a notebook in nbformat 4.</exception>
    public static ExecutedNotebook Parse(string json, string origin)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("cells", out JsonElement cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{origin} has no list of cells.");
            }
            string defaultLanguage = DefaultLanguage(document.RootElement);
            var parsed = new List<NotebookCell>();
            foreach (JsonElement cell in cells.EnumerateArray())
            {
                parsed.Add(ParseCell(cell, parsed.Count + 1, defaultLanguage));
            }
            return new ExecutedNotebook(parsed);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{origin} is not a readable notebook: {e.Message}", e);
        }
    }

    private static NotebookCell ParseCell(JsonElement cell, int number, string defaultLanguage)
    {
        CellKind kind = String(cell, "cell_type") switch
        {
            "markdown" => CellKind.Markdown,
            "code" => CellKind.Code,
            _ => CellKind.Raw,
        };
        string source = Text(cell.TryGetProperty("source", out JsonElement s) ? s : default);
        string language = defaultLanguage;
        if (cell.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            language = Nested(metadata, "polyglot_notebook", "kernelName")
                       ?? Nested(metadata, "dotnet_interactive", "language")
                       ?? language;
        }
        var outputs = new List<CellOutput>();
        if (cell.TryGetProperty("outputs", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            outputs.AddRange(list.EnumerateArray().Select(ParseOutput).OfType<CellOutput>());
        }
        return new NotebookCell(number, kind, source.ReplaceLineEndings("\n"), language, outputs);
    }

    private static CellOutput? ParseOutput(JsonElement output) => String(output, "output_type") switch
    {
        "display_data" or "execute_result" or "update_display_data" => new RichOutput(Data(output)),
        "stream" => new StreamOutput(String(output, "name") ?? "stdout", Text(output.TryGetProperty("text", out JsonElement t) ? t : default)),
        "error" => new ErrorOutput(
            String(output, "ename") ?? "Error",
            String(output, "evalue") ?? "",
            output.TryGetProperty("traceback", out JsonElement tb) && tb.ValueKind == JsonValueKind.Array
                ? tb.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() ?? "" : l.GetRawText()).ToArray()
                : []),
        _ => null,
    };

    private static Dictionary<string, string> Data(JsonElement output)
    {
        var data = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!output.TryGetProperty("data", out JsonElement bundle) || bundle.ValueKind != JsonValueKind.Object) return data;
        foreach (JsonProperty mime in bundle.EnumerateObject())
        {
            data[mime.Name] = mime.Value.ValueKind is JsonValueKind.String or JsonValueKind.Array
                ? Text(mime.Value)
                : mime.Value.GetRawText();
        }
        return data;
    }

    // nbformat allows multi-line text as one string or as a list of lines that keep their newlines.
    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() : l.GetRawText())),
        _ => "",
    };

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Nested(JsonElement element, string outer, string inner) =>
        element.TryGetProperty(outer, out JsonElement o) && o.ValueKind == JsonValueKind.Object ? String(o, inner) : null;

    private static string DefaultLanguage(JsonElement root) =>
        root.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object
            ? Nested(metadata, "polyglot_notebook", "defaultKernelName")
              ?? (metadata.TryGetProperty("polyglot_notebook", out JsonElement p) && p.ValueKind == JsonValueKind.Object
                  ? Nested(p, "kernelInfo", "defaultKernelName")
                  : null)
              ?? "csharp"
            : "csharp";

    [GeneratedRegex(@"^#[ \t]+(?<title>.+?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex TopHeading();
}
