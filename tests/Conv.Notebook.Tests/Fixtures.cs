using System.Collections.Concurrent;
using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// The reference fixtures under <c>tests/fixtures</c> (written by the generator scripts beside them from PyTorch and
/// numpy), each parsed once per test run.
/// </summary>
internal static class Fixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonDocument>> Documents = new(StringComparer.Ordinal);

    /// <summary>The root of fixture <paramref name="file"/>, copied to the test output's <c>fixtures</c> folder.</summary>
    public static JsonElement Root(string file) =>
        Documents.GetOrAdd(file, name => new Lazy<JsonDocument>(
            () => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name))),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value.RootElement;
}
