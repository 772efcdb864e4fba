using System.Globalization;

namespace Conv.Notebook.Bench;

/// <summary>The options of the bench's commands: each a name followed by one value.</summary>
internal static class Options
{
    /// <summary>One and all cores, the thread counts a command times unless told otherwise.</summary>
    public static int[] DefaultThreads => new[] { 1, Environment.ProcessorCount }.Distinct().ToArray();

    /// <summary>
    /// Hands each option's value to its handler; false, with a message and the usage on the error stream, for an option
    /// without a handler or without a value.
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
            handle(args[i + 1]);
        }
        return true;
    }

    public static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    /// <summary>A comma-separated list of thread counts, e.g. "1,2".</summary>
    public static int[] Threads(string value) => value.Split(',').Select(Int).ToArray();
}
