using System.Globalization;

namespace Conv.Notebook.Workbook;

/// <summary>
/// Progress on the console, one whole line at a time so that notebooks running side by side do not interleave
/// their messages; status words are coloured when the console is a terminal.
/// </summary>
internal sealed class ConsoleLog
{
    private readonly Lock _gate = new();
    private readonly bool _color = !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("NO_COLOR") is null;

    /// <summary>Writes a line to stdout.</summary>
    /// <param name="text">The line.</param>
    public void Line(string text)
    {
        lock (_gate) Console.Out.WriteLine(text);
    }

    /// <summary>Writes a line to stdout that starts with a status word, green for good news and red for bad.</summary>
    /// <param name="status">The status word, such as <c>passed</c>.</param>
    /// <param name="good">Whether it is good news.</param>
    /// <param name="text">The rest of the line.</param>
    public void Status(string status, bool good, string text)
    {
        lock (_gate)
        {
            if (_color) Console.ForegroundColor = good ? ConsoleColor.Green : ConsoleColor.Red;
            Console.Out.Write(status);
            if (_color) Console.ResetColor();
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>Writes a message to stderr.</summary>
    /// <param name="text">The message, possibly several lines.</param>
    public void Error(string text)
    {
        lock (_gate) Console.Error.WriteLine(text);
    }

    /// <summary>A duration for people: <c>4.2 s</c>, or <c>2 min 05 s</c> past a minute.</summary>
    /// <param name="elapsed">The duration.</param>
    /// <returns>The text.</returns>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds < 60
        ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds:00} s");
}
