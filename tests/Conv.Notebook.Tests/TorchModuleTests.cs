using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// PyTorch's own convolution module tests (the Conv1d, Conv2d, ConvTranspose1d and ConvTranspose2d configurations of
/// <c>torch/testing/_internal/common_nn.py</c>) and <c>padding='same'</c>/<c>'valid'</c> cases, run through the helper
/// against PyTorch's outputs and refusals, stored in <c>tests/fixtures/torch_module_reference.json</c> by
/// <c>tests/fixtures/generate_module_fixtures.py</c>.
/// </summary>
public sealed class TorchModuleTests
{
    private const float AbsoluteTolerance = 1e-4f;
    private const float RelativeTolerance = 1e-4f;

    public static TheoryData<string> ComputedCases => Names(c => !c.TryGetProperty("error", out _));

    public static TheoryData<string> NamedPaddingCases =>
        Names(c => !c.TryGetProperty("error", out _) && c.GetProperty("padding").ValueKind == JsonValueKind.String);

    public static TheoryData<string> RefusedCases => Names(c => c.TryGetProperty("error", out _));

    [Fact]
    public void Fixture_HoldsEveryOneAndTwoDimensionalConvolutionConfigurationOfCommonNn()
    {
        string[] names = [.. Cases.Values.Where(c => c.GetProperty("source").GetString() == "common_nn")
            .Select(c => c.GetProperty("name").GetString()!)];
        // PyTorch 1.13's common_nn has 26 of them: 13 Conv1d/Conv2d, 8 more for the padding modes (stride 2, padding 2)
        // and 5 transposed; the two of a batch of none among them.
        Assert.Equal(26, names.Length);
        Assert.Contains("Conv1d_zero_batch", names);
        Assert.Contains("Conv2d_zero_batch", names);
        Assert.Equal(5, names.Count(n => n.StartsWith("ConvTranspose", StringComparison.Ordinal)));
        Assert.Equal("tests/fixtures/generate_module_fixtures.py", Root.GetProperty("generator").GetString());
    }

    [Fact]
    public void Fixture_CoversEveryPaddingModeOddAndEvenKernelsAndTheRefusals()
    {
        JsonElement[] same = [.. Cases.Values.Where(c => c.GetProperty("padding") is { ValueKind: JsonValueKind.String } p
            && p.GetString() == "same" && !c.TryGetProperty("error", out _))];
        foreach (string mode in new[] { "zeros", "reflect", "replicate", "circular" })
        {
            foreach (string op in new[] { "conv1d", "conv2d" })
            {
                JsonElement[] ofMode = [.. same.Where(c => c.GetProperty("padding_mode").GetString() == mode
                    && c.GetProperty("op").GetString() == op)];
                Assert.Contains(ofMode, c => c.GetProperty("weight").GetProperty("shape").EnumerateArray().Last().GetInt32() % 2 == 0);
                Assert.Contains(ofMode, c => c.GetProperty("weight").GetProperty("shape").EnumerateArray().Last().GetInt32() % 2 == 1);
                Assert.Contains(ofMode, c => c.GetProperty("dilation").EnumerateArray().Any(d => d.GetInt32() > 1));
                Assert.Contains(ofMode, c => c.GetProperty("groups").GetInt32() > 1);
            }
        }
        Assert.Contains(Cases.Values, c => c.TryGetProperty("error", out JsonElement e) && e.GetString()!.Contains("strided", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ComputedCases))]
    public void Case_GivesTorchsOutput(string name)
    {
        JsonElement c = Cases[name];
        AssertMatches(name, c.GetProperty("output"), Run(c, Convolution.Route.Auto));
    }

    [Theory]
    [MemberData(nameof(NamedPaddingCases))]
    public void NamedPadding_GivesTorchsOutputOnEveryPath(string name)
    {
        JsonElement c = Cases[name];
        foreach (Convolution.Path path in new[] { Convolution.Path.Reference, Convolution.Path.Small, Convolution.Path.Fast })
        {
            AssertMatches($"{name} ({path})", c.GetProperty("output"), Run(c, new Convolution.Route(path, KernelKind.Portable, 1)));
        }
    }

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void Refusal_AsTorchRefuses(string name)
    {
        JsonElement c = Cases[name];
        string torchMessage = c.GetProperty("error").GetString()!;
        bool oneD = c.GetProperty("op").GetString() == "conv1d";
        int[] kernel = Ints(c.GetProperty("kernel"));
        int inChannels = c.GetProperty("in_channels").GetInt32(), outChannels = c.GetProperty("out_channels").GetInt32();
        int[] weightShape = [outChannels, inChannels / c.GetProperty("groups").GetInt32(), .. kernel];
        Tensor weight = Tensor.Randn(1, weightShape);
        Tensor? bias = c.GetProperty("bias").GetBoolean() ? Tensor.Randn(2, outChannels) : null;
        (int H, int W) stride = Pair(c.GetProperty("stride"), oneD), dilation = Pair(c.GetProperty("dilation"), oneD);
        string padding = c.GetProperty("padding").GetString()!;
        PaddingMode mode = ParseMode(c.GetProperty("padding_mode").GetString());
        var error = Assert.ThrowsAny<ArgumentException>(() => Convolution.Named(oneD ? "Conv1d" : "Conv2d", oneD,
            Read(c.GetProperty("input")), weight, padding, bias, stride, dilation, c.GetProperty("groups").GetInt32(), mode,
            Convolution.Route.Auto));
        if (torchMessage.Contains("strided", StringComparison.Ordinal))
        {
            Assert.Equal("padding", error.ParamName);
            Assert.Contains("not supported for strided convolutions", error.Message, StringComparison.Ordinal);
        }
        else if (torchMessage.StartsWith("Invalid padding string", StringComparison.Ordinal))
        {
            Assert.Equal("padding", error.ParamName);
            Assert.Contains("\"same\" or \"valid\"", error.Message, StringComparison.Ordinal);
            Assert.Contains($"\"{padding}\"", error.Message, StringComparison.Ordinal);
        }
        else
        {
            // The padding "same" asks for is more than the mode can take from this input.
            Assert.Equal("padding", error.ParamName);
            Assert.Contains(mode.ToString(), error.Message, StringComparison.Ordinal);
            Assert.Contains("what \"same\" adds", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SamePadding_SplitsAsPyTorchDoes()
    {
        Assert.Equal((1, 1), ConvShape.SamePadding(3));
        Assert.Equal((1, 2), ConvShape.SamePadding(4));
        Assert.Equal((0, 1), ConvShape.SamePadding(2));
        Assert.Equal((0, 0), ConvShape.SamePadding(1));
        Assert.Equal((3, 3), ConvShape.SamePadding(4, dilation: 2));
        Assert.Equal((4, 5), ConvShape.SamePadding(4, dilation: 3));
        Assert.Equal("kernel", Assert.Throws<ArgumentOutOfRangeException>(() => ConvShape.SamePadding(0)).ParamName);
        Assert.Equal("dilation", Assert.Throws<ArgumentOutOfRangeException>(() => ConvShape.SamePadding(3, 0)).ParamName);
    }

    [Fact]
    public void SameAndValid_ReadAsPyTorchSpellsThem()
    {
        Tensor x = Tensor.Randn(0, 1, 2, 7, 8), w = Tensor.Randn(1, 3, 2, 4, 4);
        Assert.Equal([1, 3, 7, 8], Convolution.Conv2d(x, w, padding: "same", dilation: (2, 2)).Shape);
        Assert.Equal([1, 3, 4, 5], Convolution.Conv2d(x, w, padding: "valid").Shape);
        Tensor s = Tensor.Randn(2, 2, 9), k = Tensor.Randn(3, 3, 2, 4);
        Assert.Equal([3, 9], Convolution.Conv1d(s, k, padding: "same").Shape);
        Assert.Equal([3, 6], Convolution.Conv1d(s, k, padding: "valid").Shape);
        Assert.Equal("padding", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2d(x, w, padding: (string)null!)).ParamName);
    }

    [Fact]
    public void BatchOfNone_PadsAndPoolsToAnEmptyBatch()
    {
        Tensor x = Tensor.Zeros(0, 3, 8, 8);
        Assert.Equal([0, 3, 12, 10], Padding.Pad(x, [1, 1, 2, 2], PaddingMode.Reflect).Shape);
        Assert.Equal([0, 3, 4, 4], Pooling.MaxPool2d(x, (2, 2)).Shape);
        Assert.Equal([0, 3, 4, 4], Pooling.AvgPool2d(x, (2, 2)).Shape);
        Assert.Equal([0, 3, 4], Pooling.MaxPool1d(Tensor.Zeros(0, 3, 8), 2).Shape);
        Assert.Equal([0, 4, 17], Convolution.ConvTranspose1d(Tensor.Zeros(0, 3, 8), Tensor.Randn(0, 3, 4, 3), stride: 2).Shape);
        Assert.Equal("tensor([], shape (0, 3, 8, 8))", x.ToString());
    }

    [Fact]
    public void EmptySizesOtherThanTheBatch_AreRefusedAsPyTorchRefusesThem()
    {
        // F.conv2d refuses an input of height 0, a weight of 0 output channels and a kernel of size 0.
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Convolution.Conv2d(Tensor.Zeros(1, 3, 0, 8), Tensor.Zeros(4, 3, 1, 1))).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Convolution.Conv2d(Tensor.Zeros(1, 3, 8, 8), Tensor.Zeros(0, 3, 3, 3))).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Convolution.Conv2d(Tensor.Zeros(1, 3, 8, 8), Tensor.Zeros(4, 3, 0, 3))).ParamName);
        // F.conv_transpose2d refuses a weight of 0 output channels and an input of height 0.
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Convolution.ConvTranspose2d(Tensor.Zeros(1, 3, 8, 8), Tensor.Zeros(3, 0, 3, 3))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Convolution.ConvTranspose2d(Tensor.Zeros(1, 3, 0, 8), Tensor.Zeros(3, 4, 3, 3))).ParamName);
        // The pools refuse zero channels and zero height (F.max_pool2d: "with optional 0 dim batch size").
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2d(Tensor.Zeros(1, 0, 8, 8), (2, 2))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pooling.AvgPool2d(Tensor.Zeros(1, 3, 0, 8), (2, 2))).ParamName);
        // Reflect and replicate padding have nothing to copy along an empty padded dimension.
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Padding.Pad(Tensor.Zeros(1, 3, 0, 8), [1, 1, 2, 2], PaddingMode.Replicate)).ParamName);
        Assert.Equal([1, 3, 4, 10], Padding.Pad(Tensor.Zeros(1, 3, 0, 8), [1, 1, 2, 2]).Shape);
    }

    [Fact]
    public void ZeroInputChannels_AreRefused()
    {
        // PyTorch 1.13 gives F.conv2d(zeros(1, 0, 8, 8), zeros(4, 0, 3, 3)) the shape (1, 0, 6, 6), which drops the
        // weight's four output channels; the helper refuses the call instead of giving a shape that cannot be right.
        var error = Assert.Throws<ArgumentException>(() => Convolution.Conv2d(Tensor.Zeros(1, 0, 8, 8), Tensor.Zeros(4, 0, 3, 3)));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("(1, 0, 8, 8)", error.Message, StringComparison.Ordinal);
    }

    private static Tensor Run(JsonElement c, Convolution.Route route)
    {
        string op = c.GetProperty("op").GetString()!;
        bool oneD = op.EndsWith("1d", StringComparison.Ordinal);
        Tensor input = Read(c.GetProperty("input")), weight = Read(c.GetProperty("weight"));
        Tensor? bias = c.GetProperty("bias").ValueKind == JsonValueKind.Null ? null : Read(c.GetProperty("bias"));
        (int H, int W) stride = Pair(c.GetProperty("stride"), oneD), dilation = Pair(c.GetProperty("dilation"), oneD);
        int groups = c.GetProperty("groups").GetInt32();
        PaddingMode mode = ParseMode(c.GetProperty("padding_mode").GetString());
        JsonElement padding = c.GetProperty("padding");
        string name = oneD ? "Conv1d" : "Conv2d";
        if (op.StartsWith("conv_transpose", StringComparison.Ordinal))
        {
            Assert.Equal(PaddingMode.Zeros, mode);
            return Convolution.Transposed("ConvTranspose" + (oneD ? "1d" : "2d"), oneD, input, weight, bias, stride,
                Pair(padding, oneD, 0), Pair(c.GetProperty("output_padding"), oneD, 0), dilation, groups, route);
        }
        return padding.ValueKind == JsonValueKind.String
            ? Convolution.Named(name, oneD, input, weight, padding.GetString()!, bias, stride, dilation, groups, mode, route)
            : Convolution.Forward(name, oneD, input, weight, bias, stride, Pair(padding, oneD, 0), dilation, groups, mode, route);
    }

    private static void AssertMatches(string name, JsonElement expectedJson, Tensor actual)
    {
        Tensor expected = Read(expectedJson);
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{name}: shape {Tensor.ShapeText(actual.Shape)}, but PyTorch gives {Tensor.ShapeText(expected.Shape)}");
        float[] a = actual.ToArray(), b = expected.ToArray();
        for (int i = 0; i < b.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(b[i]),
                $"{name}: element {i} is {a[i]:R}, but PyTorch gives {b[i]:R}");
        }
    }

    private static JsonElement Root => Fixtures.Root("torch_module_reference.json");

    private static readonly Lazy<Dictionary<string, JsonElement>> Parsed = new(() =>
        Root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, StringComparer.Ordinal));

    private static Dictionary<string, JsonElement> Cases => Parsed.Value;

    private static TheoryData<string> Names(Func<JsonElement, bool> keep)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Root.GetProperty("cases").EnumerateArray())
        {
            if (keep(c)) data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    private static Tensor Read(JsonElement json) =>
        new(Ints(json.GetProperty("shape")), [.. json.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())]);

    private static int[] Ints(JsonElement json) => [.. json.EnumerateArray().Select(v => v.GetInt32())];

    /// <summary>
    /// A 1-D call's single value as the width of a pair, as the helper's 1-D entry points pass it: the height is 1 for a
    /// stride or dilation and 0 for a padding.
    /// </summary>
    private static (int H, int W) Pair(JsonElement json, bool oneD, int height = 1)
    {
        int[] values = Ints(json);
        Assert.Equal(oneD ? 1 : 2, values.Length);
        return oneD ? (height, values[0]) : (values[0], values[1]);
    }

    private static PaddingMode ParseMode(string? mode) => mode switch
    {
        "zeros" => PaddingMode.Zeros,
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        _ => throw new InvalidDataException($"unknown padding mode '{mode}' in the fixture"),
    };
}
