using System.Text.Json;

namespace Conv.Notebook.Workbook;

/// <summary>
/// Whether a file is a notebook that dotnet-repl can run as it was meant: nbformat 4 JSON whose cells each have a known
/// type and a source. dotnet-repl itself runs almost anything (a file holding <c>{"cells": 5}</c> "passes"), so the
/// workbook checks first and fails such a file by name.
/// </summary>
internal static class NotebookFormat
{
    private static readonly string[] CellTypes = ["markdown", "code", "raw"];

    /// <summary>What makes a notebook file's JSON no valid notebook, or null when it is one.</summary>
    /// <param name="root">The file's JSON.</param>
    /// <returns>A sentence naming the first fault, or null.</returns>
    public static string? Problem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return $"A notebook is a JSON object, but this file holds a JSON {Kind(root)}.";
        if (!root.TryGetProperty("cells", out JsonElement cells) || cells.ValueKind != JsonValueKind.Array)
        {
            return "A notebook has a list of cells, but \"cells\" is " +
                   (root.TryGetProperty("cells", out JsonElement c) ? $"a JSON {Kind(c)}" : "missing") + ".";
        }
        if (!root.TryGetProperty("nbformat", out JsonElement format) || format.ValueKind != JsonValueKind.Number
            || !format.TryGetInt32(out int version) || version != 4)
        {
            return "A notebook in the format the workbook reads has \"nbformat\": 4, but this file has " +
                   (root.TryGetProperty("nbformat", out JsonElement f) ? f.GetRawText() : "none") + ".";
        }
        int number = 0;
        foreach (JsonElement cell in cells.EnumerateArray())
        {
            number++;
            if (cell.ValueKind != JsonValueKind.Object) return $"Cell {number} is a JSON {Kind(cell)}, not an object.";
            string? type = cell.TryGetProperty("cell_type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is null || !CellTypes.Contains(type))
            {
                return $"Cell {number} has no cell_type of {string.Join(", ", CellTypes)}" + (type is null ? "." : $": it has '{type}'.");
            }
            if (!cell.TryGetProperty("source", out JsonElement source) || !IsText(source))
            {
                return $"Cell {number} has no source: a notebook cell's source is a string or a list of strings.";
            }
            if (type == "code" && cell.TryGetProperty("outputs", out JsonElement outputs) && outputs.ValueKind != JsonValueKind.Array)
            {
                return $"Cell {number}'s outputs are a JSON {Kind(outputs)}, not a list.";
            }
        }
        return null;
    }

    private static bool IsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String));

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
