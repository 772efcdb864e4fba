using System.Text;

namespace Conv.Notebook.Workbook;

/// <summary>
/// Writes files under a temporary name and then moves them into place, so that a reader (a browser, a test,
/// the index) never sees half a report.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes text as UTF-8 to <paramref name="path"/>, replacing what was there.</summary>
    /// <param name="path">The final path; its folder must exist.</param>
    /// <param name="content">The text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public static async Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, content, Utf8, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
