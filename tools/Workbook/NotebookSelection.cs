using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>A notebook to run: its file and its name, which names its executed copy and its report.</summary>
/// <param name="Name">The file name without <c>.ipynb</c>, such as <c>01-output-shape</c>.</param>
/// <param name="Path">The absolute path of the notebook.</param>
/// <param name="Timed">
/// Whether it times the helper (<c>"conv_notebook": { "timed": true }</c> in its metadata), and so must run alone.
/// </param>
/// <param name="Problem">What makes the file no valid notebook (<see cref="NotebookFormat"/>), or null.</param>
internal sealed record NotebookFile(string Name, string Path, bool Timed, string? Problem)
{
    /// <summary>The notebook at <paramref name="path"/>, read once for its metadata and its validity.</summary>
    public static NotebookFile At(string path)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(path);
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            bool timed = root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("conv_notebook", out JsonElement own) && own.ValueKind == JsonValueKind.Object
                && own.TryGetProperty("timed", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
            return new NotebookFile(name, path, timed, NotebookFormat.Problem(root));
        }
        catch (JsonException e)
        {
            return new NotebookFile(name, path, false, $"It is not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new NotebookFile(name, path, false, $"It could not be read: {e.Message}");
        }
    }
}

/// <summary>Finds the workbook's notebooks (<c>NN-*.ipynb</c>, in name order) and picks those the user named.</summary>
internal static partial class NotebookSelection
{
    /// <summary>The notebooks in <paramref name="directory"/> that the selectors pick, in name order.</summary>
    /// <param name="directory">The notebooks folder.</param>
    /// <param name="selectors">Name prefixes, with or without <c>.ipynb</c> or a folder; empty picks every notebook.</param>
    /// <returns>The picked notebooks, at least one.</returns>
    /// <exception cref="UsageException">
    /// The folder is missing or holds no notebook, or a selector picks none; the message lists what there is.
    /// </exception>
    public static IReadOnlyList<NotebookFile> Select(string directory, IReadOnlyList<string> selectors)
    {
        if (!Directory.Exists(directory)) throw new UsageException($"The notebooks folder {directory} does not exist.");
        NotebookFile[] all = Directory.EnumerateFiles(directory, "*.ipynb")
            .Where(path => NumberedName().IsMatch(System.IO.Path.GetFileNameWithoutExtension(path)))
            .Select(NotebookFile.At)
            .OrderBy(notebook => notebook.Name, StringComparer.Ordinal)
            .ToArray();
        if (all.Length == 0) throw new UsageException($"{directory} holds no notebook named NN-*.ipynb.");
        if (selectors.Count == 0) return all;

        var picked = new List<NotebookFile>();
        foreach (string selector in selectors)
        {
            string prefix = System.IO.Path.GetFileName(selector.TrimEnd('/', '\\'));
            if (prefix.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) prefix = prefix[..^".ipynb".Length];
            NotebookFile[] matches = all.Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (prefix.Length == 0 || matches.Length == 0)
            {
                throw new UsageException(
                    $"No notebook in {directory} matches '{selector}'. There are: {string.Join(", ", all.Select(n => n.Name))}.");
            }
            picked.AddRange(matches.Where(m => !picked.Contains(m)));
        }
        return picked.OrderBy(notebook => notebook.Name, StringComparer.Ordinal).ToArray();
    }

    [GeneratedRegex(@"^\d{2}-.+$")]
    private static partial Regex NumberedName();
}
