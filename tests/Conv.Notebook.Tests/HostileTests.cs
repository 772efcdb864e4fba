namespace Conv.Notebook.Tests;

/// <summary>
/// Hostile calls, each in a child process of this assembly (<see cref="HostileProcess"/>), so that a call that ends its
/// process fails its test instead of the test host: the memory-safety and far-stride cases by name, then a fuzz run over
/// random shapes, extreme strides, dilations and paddings, paths and thread counts, against the plain reference.
/// </summary>
public sealed class HostileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("transposed-dilation-70000")]
    [InlineData("transposed-wide-at-64-threads")]
    [InlineData("conv2d-dilated-at-16-threads")]
    [InlineData("conv2d-stride-1000")]
    [InlineData("conv2d-stride-2000")]
    [InlineData("conv2d-stride-10000")]
    [InlineData("conv2d-stride-max")]
    [InlineData("transposed-stride-46341")]
    [InlineData("transposed-stride-max")]
    [InlineData("huge-padding-every-path")]
    public void A_hostile_call_gives_the_references_result_in_bounded_memory(string name)
    {
        (int exitCode, string output) = HostileProcess.Start(Timeout, "case", name);
        Assert.True(exitCode == 0 && output.Contains("\nok", StringComparison.Ordinal), $"exit code {exitCode}:\n{output}");
    }

    [Fact]
    public void The_processor_count_does_not_raise_the_memory_a_call_holds()
    {
        // The default thread count is the processor count, which DOTNET_PROCESSOR_COUNT sets.
        var environment = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "256" };
        (int exitCode, string output) = HostileProcess.Start(Timeout, environment, "case", "transposed-wide-default-threads");
        Assert.True(exitCode == 0 && output.Contains("\nok", StringComparison.Ordinal), $"exit code {exitCode}:\n{output}");
    }

    [Fact]
    public void A_call_that_ends_the_child_fails_without_ending_the_test_host()
    {
        (int exitCode, string output) = HostileProcess.Start(Timeout, "case", "crash");
        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("\nok", output, StringComparison.Ordinal);
        Assert.StartsWith("start crash", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_hostile_calls_agree_with_the_reference_or_are_refused_by_name(int seed)
    {
        // Each seed's calls run in one child, one after another, so that workspaces left by earlier calls meet later ones.
        (int exitCode, string output) = HostileProcess.Start(Timeout, "fuzz", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "2000");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] failures = lines.Where(l => l.StartsWith("wrong", StringComparison.Ordinal)).ToArray();
        Assert.True(exitCode == 0 && failures.Length == 0,
            $"seed {seed}, exit code {exitCode}; the last call started: {lines.LastOrDefault(l => l.StartsWith("start", StringComparison.Ordinal))}\n" +
            string.Join("\n", output.Split('\n').Where(l => !l.StartsWith("ok", StringComparison.Ordinal)).Take(40)));
        Assert.Equal(2000, lines.Count(l => l == "ok" || l.StartsWith("refused", StringComparison.Ordinal)));
    }
}
