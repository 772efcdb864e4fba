using System.Globalization;
using System.Text.Json;
using Xunit.Sdk;

namespace Conv.Notebook.Tests;

/// <summary>
/// Compares the helper's padding and (transposed) convolution with reference outputs
/// computed by PyTorch, stored in <c>tests/fixtures/torch_reference.json</c> by
/// <c>tests/fixtures/generate_fixtures.py</c>. Each fixture case is its own test row.
/// </summary>
public sealed class GoldenFixtureTests
{
    private const float AbsoluteTolerance = 1e-4f;
    private const float RelativeTolerance = 1e-4f;

    public static TheoryData<string> PadCases => GoldenFixture.CaseNames("pad");

    public static TheoryData<string> Conv1dCases => GoldenFixture.CaseNames("conv1d");

    public static TheoryData<string> Conv2dCases => GoldenFixture.CaseNames("conv2d");

    public static TheoryData<string> ConvTranspose1dCases => GoldenFixture.CaseNames("conv_transpose1d");

    public static TheoryData<string> ConvTranspose2dCases => GoldenFixture.CaseNames("conv_transpose2d");

    public static TheoryData<string> PoolCases
    {
        get
        {
            var rows = new TheoryData<string>();
            foreach (string op in new[] { "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d" })
            {
                foreach (string name in GoldenFixture.NamesOf(op)) rows.Add(name);
            }
            return rows;
        }
    }

    public static TheoryData<string> InterpolateCases => GoldenFixture.CaseNames("interpolate");

    [Theory]
    [InlineData("pad", 100)]
    [InlineData("conv1d", 100)]
    [InlineData("conv2d", 100)]
    [InlineData("conv_transpose1d", 100)]
    [InlineData("conv_transpose2d", 100)]
    [InlineData("max_pool1d", 40)]
    [InlineData("avg_pool1d", 40)]
    [InlineData("max_pool2d", 40)]
    [InlineData("avg_pool2d", 40)]
    [InlineData("interpolate", 60)]
    public void Fixture_HasEnoughCasesOfEachOp(string op, int minimum)
    {
        int count = GoldenFixture.Cases.Values.Count(c => c.GetProperty("op").GetString() == op);
        Assert.True(count >= minimum, $"fixture has {count} '{op}' cases, expected at least {minimum}");
    }

    [Fact]
    public void Fixture_RecordsItsGenerator()
    {
        JsonElement root = GoldenFixture.Root;
        Assert.Equal("tests/fixtures/generate_fixtures.py", root.GetProperty("generator").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("torch").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("numpy").GetString()));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("seed").ValueKind);
    }

    [Fact]
    public void Fixture_ContainsTheReflectExampleAndExerciseOne()
    {
        JsonElement reflect = GoldenFixture.Cases.Values.First(c =>
            c.GetProperty("op").GetString() == "pad"
            && c.GetProperty("mode").GetString() == "reflect"
            && Shape(c.GetProperty("input")).SequenceEqual(new[] { 2, 2 })
            && Ints(c.GetProperty("pads")).SequenceEqual(new[] { 1, 1, 1, 1 }));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, Data(reflect.GetProperty("input")));
        Assert.Equal(
            new[] { 4f, 3f, 4f, 3f, 2f, 1f, 2f, 1f, 4f, 3f, 4f, 3f, 2f, 1f, 2f, 1f },
            Data(reflect.GetProperty("output")));

        Assert.Contains(GoldenFixture.Cases.Values, c =>
            c.GetProperty("op").GetString() == "conv2d"
            && Shape(c.GetProperty("input")).SequenceEqual(new[] { 1, 1, 8, 8 })
            && Shape(c.GetProperty("weight")).SequenceEqual(new[] { 1, 1, 3, 5 })
            && Ints(c.GetProperty("padding")).SequenceEqual(new[] { 0, 1 })
            && Ints(c.GetProperty("stride")).SequenceEqual(new[] { 3, 4 })
            && Shape(c.GetProperty("output")).SequenceEqual(new[] { 1, 1, 2, 2 }));
    }

    [Theory]
    [MemberData(nameof(PadCases))]
    public void Pad_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        Tensor actual = Compute(name, () => Padding.Pad(
            ReadTensor(c.GetProperty("input")),
            Ints(c.GetProperty("pads")),
            ParseMode(c.GetProperty("mode").GetString()),
            c.GetProperty("value").GetSingle()));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    /// <summary>
    /// The helper accepts a pad exactly when F.pad does: below the size for reflect, up to the size for circular
    /// (one wrap), any pad for replicate; the generator recorded F.pad's answers for sizes 1 to 6.
    /// </summary>
    [Fact]
    public void Pad_AcceptsExactlyThePadsTorchAccepts()
    {
        JsonElement limits = GoldenFixture.Root.GetProperty("pad_limits");
        Assert.Equal(18, limits.GetArrayLength());
        foreach (JsonElement limit in limits.EnumerateArray())
        {
            PaddingMode mode = ParseMode(limit.GetProperty("mode").GetString());
            int size = limit.GetProperty("size").GetInt32();
            bool[] torchAccepts = limit.GetProperty("accepts").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
            for (int pad = 0; pad < torchAccepts.Length; pad++)
            {
                bool accepted = true;
                try
                {
                    Padding.Pad(Tensor.Zeros(1, 1, size), [pad, 0], mode);
                }
                catch (ArgumentOutOfRangeException)
                {
                    accepted = false;
                }

                Assert.True(torchAccepts[pad] == accepted,
                    $"{mode} padding {pad} on a size of {size}: torch {Verb(torchAccepts[pad])} it, the helper {Verb(accepted)} it");
            }
        }

        static string Verb(bool accepts) => accepts ? "accepts" : "refuses";
    }

    [Theory]
    [MemberData(nameof(Conv1dCases))]
    public void Conv1d_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        Tensor actual = Compute(name, () => Convolution.Conv1d(
            ReadTensor(c.GetProperty("input")),
            ReadTensor(c.GetProperty("weight")),
            ReadOptionalTensor(c.GetProperty("bias")),
            stride: Scalar(c.GetProperty("stride")),
            padding: Scalar(c.GetProperty("padding")),
            dilation: Scalar(c.GetProperty("dilation")),
            groups: c.GetProperty("groups").GetInt32(),
            paddingMode: ParseMode(c.GetProperty("padding_mode").GetString())));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        Tensor actual = Compute(name, () => Convolution.Conv2d(
            ReadTensor(c.GetProperty("input")),
            ReadTensor(c.GetProperty("weight")),
            ReadOptionalTensor(c.GetProperty("bias")),
            stride: Pair(c.GetProperty("stride")),
            padding: Pair(c.GetProperty("padding")),
            dilation: Pair(c.GetProperty("dilation")),
            groups: c.GetProperty("groups").GetInt32(),
            paddingMode: ParseMode(c.GetProperty("padding_mode").GetString())));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    [Theory]
    [MemberData(nameof(ConvTranspose1dCases))]
    public void ConvTranspose1d_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        Tensor actual = Compute(name, () => Convolution.ConvTranspose1d(
            ReadTensor(c.GetProperty("input")),
            ReadTensor(c.GetProperty("weight")),
            ReadOptionalTensor(c.GetProperty("bias")),
            stride: Scalar(c.GetProperty("stride")),
            padding: Scalar(c.GetProperty("padding")),
            outputPadding: Scalar(c.GetProperty("output_padding")),
            dilation: Scalar(c.GetProperty("dilation")),
            groups: c.GetProperty("groups").GetInt32()));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    [Theory]
    [MemberData(nameof(ConvTranspose2dCases))]
    public void ConvTranspose2d_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        Tensor actual = Compute(name, () => Convolution.ConvTranspose2d(
            ReadTensor(c.GetProperty("input")),
            ReadTensor(c.GetProperty("weight")),
            ReadOptionalTensor(c.GetProperty("bias")),
            stride: Pair(c.GetProperty("stride")),
            padding: Pair(c.GetProperty("padding")),
            outputPadding: Pair(c.GetProperty("output_padding")),
            dilation: Pair(c.GetProperty("dilation")),
            groups: c.GetProperty("groups").GetInt32()));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pool_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        string op = c.GetProperty("op").GetString()!;
        Tensor input = ReadTensor(c.GetProperty("input"));
        JsonElement kernel = c.GetProperty("kernel"), stride = c.GetProperty("stride"), padding = c.GetProperty("padding");
        Tensor actual = Compute(name, () => op switch
        {
            "max_pool1d" => Pooling.MaxPool1d(input, Scalar(kernel), Scalar(stride), Scalar(padding)),
            "avg_pool1d" => Pooling.AvgPool1d(input, Scalar(kernel), Scalar(stride), Scalar(padding)),
            "max_pool2d" => Pooling.MaxPool2d(input, Pair(kernel), Pair(stride), Pair(padding)),
            "avg_pool2d" => Pooling.AvgPool2d(input, Pair(kernel), Pair(stride), Pair(padding)),
            _ => throw new XunitException($"case {name}: unknown op {op}"),
        });
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    [Theory]
    [MemberData(nameof(InterpolateCases))]
    public void Interpolate_MatchesTorch(string name)
    {
        JsonElement c = GoldenFixture.Get(name);
        InterpolationMode mode = c.GetProperty("mode").GetString() switch
        {
            "nearest" => InterpolationMode.Nearest,
            "bilinear" => InterpolationMode.Bilinear,
            var other => throw new XunitException($"case {name}: unknown mode {other}"),
        };
        Tensor actual = Compute(name, () => Interpolation.Interpolate(
            ReadTensor(c.GetProperty("input")), Pair(c.GetProperty("scale_factor")), mode));
        AssertMatches(name, c.GetProperty("output"), actual);
    }

    private static Tensor Compute(string name, Func<Tensor> compute)
    {
        try
        {
            return compute();
        }
        catch (Exception ex)
        {
            throw new XunitException($"case {name}: threw {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static void AssertMatches(string name, JsonElement expectedJson, Tensor actual)
    {
        int[] expectedShape = Shape(expectedJson);
        float[] expected = Data(expectedJson);
        Assert.True(
            expectedShape.SequenceEqual(actual.Shape),
            $"case {name}: shape mismatch: expected ({string.Join(", ", expectedShape)}), got ({string.Join(", ", actual.Shape)})");

        float[] values = actual.ToArray();
        Assert.True(
            values.Length == expected.Length,
            $"case {name}: element count mismatch: expected {expected.Length}, got {values.Length}");

        for (int i = 0; i < expected.Length; i++)
        {
            float a = values[i];
            float b = expected[i];
            bool close = Math.Abs(a - b) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(b);
            if (!close)
            {
                Assert.Fail(
                    $"case {name}: value mismatch at flat index {i} (index [{string.Join(", ", Unravel(i, expectedShape))}]): "
                    + $"expected {b.ToString("R", CultureInfo.InvariantCulture)}, "
                    + $"got {a.ToString("R", CultureInfo.InvariantCulture)} "
                    + $"(|diff| = {Math.Abs(a - b).ToString("G9", CultureInfo.InvariantCulture)})");
            }
        }
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }

        return index;
    }

    private static PaddingMode ParseMode(string? mode) => mode switch
    {
        "zeros" => PaddingMode.Zeros,
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        "symmetric" => PaddingMode.Symmetric,
        _ => throw new InvalidDataException($"unknown padding mode '{mode}' in the fixture"),
    };

    private static Tensor ReadTensor(JsonElement json) => new(Shape(json), Data(json));

    private static Tensor? ReadOptionalTensor(JsonElement json) =>
        json.ValueKind == JsonValueKind.Null ? null : ReadTensor(json);

    private static int[] Shape(JsonElement json) => Ints(json.GetProperty("shape"));

    private static float[] Data(JsonElement json)
    {
        JsonElement data = json.GetProperty("data");
        var values = new float[data.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in data.EnumerateArray())
        {
            values[i++] = v.GetSingle();
        }

        return values;
    }

    private static int[] Ints(JsonElement json) => json.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static int Scalar(JsonElement json)
    {
        int[] values = Ints(json);
        Assert.Single(values);
        return values[0];
    }

    private static (int H, int W) Pair(JsonElement json)
    {
        int[] values = Ints(json);
        Assert.Equal(2, values.Length);
        return (values[0], values[1]);
    }
}

/// <summary>The parsed fixture file, read once per test run.</summary>
internal static class GoldenFixture
{
    private static readonly Lazy<Contents> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static JsonElement Root => Fixtures.Root("torch_reference.json");

    public static IReadOnlyDictionary<string, JsonElement> Cases => Loaded.Value.Cases;

    public static JsonElement Get(string name) =>
        Cases.TryGetValue(name, out JsonElement c)
            ? c
            : throw new KeyNotFoundException($"no fixture case named '{name}'");

    public static IEnumerable<string> NamesOf(string op) =>
        Loaded.Value.Names.Where(name => Cases[name].GetProperty("op").GetString() == op);

    public static TheoryData<string> CaseNames(string op)
    {
        var data = new TheoryData<string>();
        foreach (string name in NamesOf(op))
        {
            data.Add(name);
        }

        return data;
    }

    private static Contents Load()
    {
        var cases = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (JsonElement c in Root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()
                ?? throw new InvalidDataException("fixture case without a name");
            cases.Add(name, c);
            names.Add(name);
        }

        return new Contents(cases, names);
    }

    private sealed record Contents(
        IReadOnlyDictionary<string, JsonElement> Cases,
        IReadOnlyList<string> Names);
}
