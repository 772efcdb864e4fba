using System.Globalization;
using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// NaN and ±∞ through every path, against PyTorch (<c>tests/fixtures/ieee_reference.json</c>, from
/// <c>generate_ieee_fixtures.py</c>): NaNs where PyTorch has them (∞ · 0 over zero padding included), infinities of the
/// same sign, and the finite values close. Also <see cref="Tensor.AllClose"/> against <c>torch.allclose</c>.
/// </summary>
public sealed class IeeeTests
{
    private const string File = "ieee_reference.json";

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (JsonElement c in Fixtures.Root(File).GetProperty("cases").EnumerateArray()) names.Add(c.GetProperty("name").GetString()!);
        return names;
    }

    private static readonly Convolution.Route[] Routes =
    [
        Convolution.Route.Auto, Convolution.Route.Plain,
        new(Convolution.Path.Small), new(Convolution.Path.Fast, null, 1), new(Convolution.Path.Fast, null, 3),
        new(Convolution.Path.Fast, KernelKind.Portable, 2),
    ];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_path_gives_PyTorchs_NaNs_and_infinities(string name)
    {
        JsonElement c = Fixtures.Root(File).GetProperty("cases").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        string op = c.GetProperty("op").GetString()!;
        Tensor input = Read(c.GetProperty("input")), expected = Read(c.GetProperty("output"));
        bool oneD = op.EndsWith("1d", StringComparison.Ordinal);
        (int H, int W) Pair(string key)
        {
            int[] v = c.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            return v.Length == 1 ? (oneD && key != "kernel" ? (key is "stride" or "dilation" ? 1 : 0) : v[0], v[0]) : (v[0], v[1]);
        }
        if (op.Contains("pool", StringComparison.Ordinal))
        {
            bool max = op.StartsWith("max", StringComparison.Ordinal);
            (int H, int W) kernel = Pair("kernel"), stride = Pair("stride"), padding = Pair("padding");
            if (oneD) (kernel, stride, padding) = ((1, kernel.W), (1, stride.W), (0, padding.W));
            foreach (bool vectorized in new[] { true, false })
            {
                Tensor actual = Pooling.Pool(op, oneD, max, input, kernel, stride, padding, vectorized);
                AssertSame(expected, actual, $"{name}, {(vectorized ? "vectorised" : "plain")} pooling");
            }
            return;
        }
        Tensor weight = Read(c.GetProperty("weight"));
        Tensor? bias = c.GetProperty("bias").ValueKind == JsonValueKind.Null ? null : Read(c.GetProperty("bias"));
        int groups = c.GetProperty("groups").GetInt32();
        foreach (Convolution.Route route in Routes)
        {
            Tensor actual = op.StartsWith("conv_transpose", StringComparison.Ordinal)
                ? Convolution.Transposed(oneD ? "ConvTranspose1d" : "ConvTranspose2d", oneD, input, weight, bias, Pair("stride"),
                    Pair("padding"), Pair("output_padding"), Pair("dilation"), groups, route)
                : Convolution.Forward(oneD ? "Conv1d" : "Conv2d", oneD, input, weight, bias, Pair("stride"), Pair("padding"),
                    Pair("dilation"), groups, Enum.Parse<PaddingMode>(c.GetProperty("padding_mode").GetString()!, ignoreCase: true), route);
            AssertSame(expected, actual, $"{name}, route {route}");
        }
    }

    [Fact]
    public void The_reports_calls_give_NaN_over_zero_padding()
    {
        Tensor weight = new([1, 1, 3], [float.PositiveInfinity, 1, 1]);
        Tensor y = Convolution.Conv1d(Tensor.Full([1, 1, 4], 1f), weight, padding: 1, stride: 2);
        Assert.True(float.IsNaN(y[0, 0, 0]), $"first output {y[0, 0, 0]}");
        Assert.Equal(float.PositiveInfinity, y[0, 0, 1]);
        foreach ((int size, int nans) in new[] { (4, 3), (12, 11) })
        {
            float[] taps = Enumerable.Repeat(1f, 9).ToArray();
            taps[0] = float.PositiveInfinity;
            Tensor k = new([1, 1, 3, 3], taps), x = Tensor.Full([1, 1, size, size], 1f);
            Assert.Equal(nans, Convolution.Conv2d(x, k, padding: (1, 1), stride: (2, 2)).ToArray().Count(float.IsNaN));
            Assert.Equal(nans, ConvolutionReference.Conv2d(x, k, padding: (1, 1), stride: (2, 2)).ToArray().Count(float.IsNaN));
        }
    }

    [Fact]
    public void AllClose_gives_what_torch_allclose_gives()
    {
        int checkedPairs = 0;
        foreach (JsonElement pair in Fixtures.Root(File).GetProperty("allclose").EnumerateArray())
        {
            float[] a = pair.GetProperty("a").EnumerateArray().Select(Number).ToArray(), b = pair.GetProperty("b").EnumerateArray().Select(Number).ToArray();
            float rtol = pair.GetProperty("rtol").GetSingle(), atol = pair.GetProperty("atol").GetSingle();
            bool equalNan = pair.GetProperty("equal_nan").GetBoolean(), close = pair.GetProperty("close").GetBoolean();
            bool actual = new Tensor([a.Length], a).AllClose(new Tensor([b.Length], b), rtol, atol, equalNan);
            Assert.True(close == actual, $"AllClose([{string.Join(", ", a)}], [{string.Join(", ", b)}], {rtol}, {atol}, {equalNan}) is {actual}, torch says {close}");
            checkedPairs++;
        }
        Assert.True(checkedPairs >= 50);
    }

    [Fact]
    public void AllClose_refuses_negative_and_NaN_tolerances()
    {
        Tensor x = Tensor.Zeros(2);
        Assert.Equal("rtol", Assert.Throws<ArgumentOutOfRangeException>(() => x.AllClose(x, rtol: -1f)).ParamName);
        Assert.Equal("atol", Assert.Throws<ArgumentOutOfRangeException>(() => x.AllClose(x, atol: float.NaN)).ParamName);
    }

    private static void AssertSame(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape {string.Join("×", actual.Shape)}, PyTorch's {string.Join("×", expected.Shape)}");
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            bool same = float.IsNaN(e[i]) ? float.IsNaN(a[i])
                : float.IsInfinity(e[i]) ? a[i] == e[i]
                : float.IsFinite(a[i]) && Math.Abs(a[i] - e[i]) <= 1e-4f + 1e-4f * Math.Abs(e[i]);
            Assert.True(same, $"{what}: element {i} is {a[i]}, PyTorch's {e[i]}");
        }
    }

    private static float Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? float.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetSingle();

    private static Tensor Read(JsonElement t) =>
        new(t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), t.GetProperty("data").EnumerateArray().Select(Number).ToArray());
}
