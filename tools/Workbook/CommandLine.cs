using System.Globalization;

namespace Conv.Notebook.Workbook;

/// <summary>What the command line asked for.</summary>
/// <param name="OutDirectory">Where executed notebooks and reports go, as given (relative to the repository root).</param>
/// <param name="NotebooksDirectory">Where the notebooks are, as given (relative to the repository root).</param>
/// <param name="Selectors">Name prefixes picking some notebooks; empty for all.</param>
/// <param name="Timeout">How long one notebook may run before it is stopped and counted as failed.</param>
/// <param name="ShowHelp">Whether <c>--help</c> was given.</param>
/// <param name="RunDoctor">Whether <c>--doctor</c> was given: <see cref="Doctor"/> runs instead of the notebooks.</param>
internal sealed record CommandLine(
    string OutDirectory,
    string NotebooksDirectory,
    IReadOnlyList<string> Selectors,
    TimeSpan Timeout,
    bool ShowHelp,
    bool RunDoctor)
{
    /// <summary>The usage text printed by <c>--help</c> and after a bad argument.</summary>
    public const string Usage = """
        Runs the workbook's notebooks headlessly and writes a self-contained HTML report for each.

        Usage: dotnet run --project tools/Workbook [-- [options] [notebook ...]]

        Notebooks:
          Every notebooks/NN-*.ipynb runs when none is named. A name picks the notebooks whose file name
          starts with it: 01, 03-mirror, 01-output-shape.ipynb.

        Options:
          --out DIR          Where executed notebooks and reports go (default: artifacts). The reports are
                             DIR/reports/NAME.html and DIR/reports/index.html; they replace the previous
                             run's only when the run ends. DIR may not be or hold the notebooks or the
                             repository's source folders.
          --notebooks DIR    Where the notebooks are (default: notebooks).
          --timeout SECONDS  Stop a notebook that runs longer and count it as failed (default: 600).
          --doctor           Check what the workbook and its tests need (the .NET SDK, the pinned tools,
                             Node.js and npm, Chromium, the Jupyter kernelspec) and say what to install.
          -h, --help         Show this text.

        Relative paths are taken from the repository root.
        Exit codes: 0 every notebook ran without error; 1 a notebook failed; 2 bad arguments or set-up failure;
        130 interrupted with Ctrl+C (reports replace the previous ones only once every notebook has ended).
        --doctor exits 0 when the main command has what it needs, 1 when some of it is missing.
        """;

    /// <summary>Reads the arguments.</summary>
    /// <param name="args">The arguments after <c>--</c> of <c>dotnet run</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="UsageException">An option is unknown, lacks its value or has a bad one.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string outDirectory = "artifacts";
        string notebooksDirectory = "notebooks";
        TimeSpan timeout = TimeSpan.FromMinutes(10);
        bool showHelp = false;
        bool runDoctor = false;
        var selectors = new List<string>();
        bool onlySelectors = false;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (onlySelectors || !arg.StartsWith('-'))
            {
                if (arg.Length == 0) throw new UsageException("An empty notebook name was given.");
                selectors.Add(arg);
                continue;
            }
            (string name, string? inlineValue) = SplitOption(arg);
            switch (name)
            {
                case "--":
                    onlySelectors = true;
                    break;
                case "-h" or "--help" or "-?":
                    showHelp = true;
                    break;
                case "--doctor":
                    runDoctor = true;
                    break;
                case "--out":
                    outDirectory = Value(name, inlineValue, args, ref i);
                    break;
                case "--notebooks":
                    notebooksDirectory = Value(name, inlineValue, args, ref i);
                    break;
                case "--timeout":
                    string seconds = Value(name, inlineValue, args, ref i);
                    if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0) || s > int.MaxValue / 1000)
                    {
                        throw new UsageException($"--timeout wants a positive number of seconds, not '{seconds}'.");
                    }
                    timeout = TimeSpan.FromSeconds(s);
                    break;
                default:
                    throw new UsageException($"Unknown option '{arg}'.");
            }
        }
        return new CommandLine(outDirectory, notebooksDirectory, selectors, timeout, showHelp, runDoctor);
    }

    private static (string Name, string? Value) SplitOption(string arg)
    {
        int equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }

    private static string Value(string name, string? inlineValue, IReadOnlyList<string> args, ref int i)
    {
        string? value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
        return string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{name} needs a value.") : value;
    }
}

/// <summary>The command line could not be understood; the message says why.</summary>
/// <param name="message">What was wrong with the arguments.</param>
internal sealed class UsageException(string message) : Exception(message);
