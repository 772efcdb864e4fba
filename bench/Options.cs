using System.Globalization;

namespace Conv.Notebook.Bench;

/// <summary>The options of the bench's commands: each a name followed by one value.</summary>
internal static class Options
{
    /// <summary>One and all cores, the thread counts a command times unless told otherwise.</summary>
    public static int[] DefaultThreads => new[] { 1, Environment.ProcessorCount }.Distinct().ToArray();

    /// <summary>
    /// Hands each option's value to its handler; false, with a message and the usage on the error stream, for an option
    /// without a handler, without a value, or with a value its handler refuses (by a <see cref="FormatException"/>
    /// saying what the option takes).
    /// </summary>
    public static bool Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, Action<string>> handlers, string usage)
    {
        for (int i = 0; i < args.Count; i += 2)
        {
            if (!handlers.TryGetValue(args[i], out Action<string>? handle))
            {
                Console.Error.WriteLine($"Unknown option '{args[i]}'.\n{usage}");
                return false;
            }
            if (i + 1 >= args.Count)
            {
                Console.Error.WriteLine($"The option '{args[i]}' needs a value.\n{usage}");
                return false;
            }
            try
            {
                handle(args[i + 1]);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"The option '{args[i]}' takes {e.Message}, not '{args[i + 1]}'.\n{usage}");
                return false;
            }
        }
        return true;
    }

    /// <summary>A whole number of at least 1, such as a number of rounds.</summary>
    public static int Count(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : throw new FormatException("a whole number of at least 1");

    /// <summary>A positive number of milliseconds.</summary>
    public static double Milliseconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) && ms > 0 && double.IsFinite(ms)
            ? ms
            : throw new FormatException("a number of milliseconds above 0");

    /// <summary>A comma-separated list of thread counts, e.g. "1,2".</summary>
    public static int[] Threads(string value)
    {
        try
        {
            return value.Split(',').Select(Count).ToArray();
        }
        catch (FormatException)
        {
            throw new FormatException("a comma-separated list of thread counts of at least 1, such as 1,2");
        }
    }
}
