using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="PowerSpectra"/>: the periodogram and the 2-D transform against numpy (stored in
/// <c>tests/fixtures/statistics_reference.json</c> by <c>tests/fixtures/generate_statistics_fixtures.py</c>), a pure
/// tone, the slope fit, and bad input.
/// </summary>
public sealed class PowerSpectraTests
{
    [Fact]
    public void Statistics_fixture_records_its_generator()
    {
        JsonElement root = StatisticsFixture.Root;
        Assert.Equal("tests/fixtures/generate_statistics_fixtures.py", root.GetProperty("generator").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("torch").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("numpy").GetString()));
    }

    [Fact]
    public void Periodogram_matches_numpy()
    {
        // np.fft.rfftfreq(n)[1:] and (np.abs(np.fft.fft(signal)) ** 2 / n)[1:n // 2 + 1], from the fixture.
        JsonElement c = StatisticsFixture.Get("periodogram");
        var (frequency, power) = PowerSpectra.Periodogram(StatisticsFixture.Doubles(c, "signal"));
        Assert.Equal(StatisticsFixture.Doubles(c, "frequency"), frequency);
        double[] expected = StatisticsFixture.Doubles(c, "power");
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], power[k], 10);
    }

    [Fact]
    public void A_pure_tone_puts_its_power_in_one_bin()
    {
        // cos(2π · 5 i / 64): |X_5| = 64 / 2, so the power there is 32² / 64 = 16, and 0 elsewhere.
        double[] tone = Enumerable.Range(0, 64).Select(i => Math.Cos(2 * Math.PI * 5 * i / 64)).ToArray();
        var (frequency, power) = PowerSpectra.Periodogram(tone);
        Assert.Equal(32, power.Length);
        Assert.Equal(5 / 64.0, frequency[4]);
        Assert.Equal(16, power[4], 9);
        Assert.All(power.Where((_, k) => k != 4), p => Assert.True(p < 1e-12));
    }

    [Fact]
    public void The_slope_of_an_exact_power_law_is_exact()
    {
        // A signal built with |X_k|² ∝ 1 / k² exactly (zero phase) has log-log slope −2.
        int n = 256;
        double[] x = new double[n];
        for (int k = 1; k < n / 2; k++)
            for (int i = 0; i < n; i++) x[i] += Math.Cos(2 * Math.PI * k * i / n) / k;
        // The Nyquist bin (k = n / 2) follows the same law.
        for (int i = 0; i < n; i++) x[i] += Math.Cos(Math.PI * i) / (n / 2) / 2;
        Assert.Equal(-2, PowerSpectra.LogLogSlope(x), 6);
        // |X_k| = (n / 2) / k, so the power |X_k|² / n at f = k / n is 1 / (4 n f²): intercept −ln(4n).
        var (intercept, slope) = PowerSpectra.LogLogFit(x);
        Assert.Equal(-2, slope, 6);
        Assert.Equal(-Math.Log(4.0 * n), intercept, 6);
    }

    [Fact]
    public void The_2d_transform_matches_numpy_fft2_and_inverts()
    {
        // np.fft.fft2(input.reshape(height, width)), row-major, from the fixture.
        JsonElement c = StatisticsFixture.Get("fft2");
        int height = c.GetProperty("height").GetInt32(), width = c.GetProperty("width").GetInt32();
        double[] input = StatisticsFixture.Doubles(c, "input");
        double[] re = StatisticsFixture.Doubles(c, "real"), im = StatisticsFixture.Doubles(c, "imag");
        Assert.Equal(height * width, input.Length);
        Assert.Equal(input.Length, re.Length);
        Assert.Equal(input.Length, im.Length);
        var data = input.Select(v => new System.Numerics.Complex(v, 0)).ToArray();
        Fourier2D.Transform(data, height, width, inverse: false);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(re[i], data[i].Real, 10);
            Assert.Equal(im[i], data[i].Imaginary, 10);
        }
        Fourier2D.Transform(data, height, width, inverse: true);
        for (int i = 0; i < data.Length; i++) Assert.Equal(input[i], data[i].Real, 10);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.Periodogram([1.0, 2, 3])).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.Periodogram([1.0, double.NaN, 3, 4])).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope([1.0, 1, 1, 1])).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogFit([1.0, 1, 1, 1])).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope(Tensor.Zeros(2, 1, 8, 8))).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope(Tensor.Randn(0, 3, 3))).ParamName);
        Assert.Throws<ArgumentNullException>(() => PowerSpectra.Periodogram(null!));
        Assert.Throws<ArgumentNullException>(() => PowerSpectra.LogLogSlope((Tensor)null!));
    }
}

/// <summary>
/// The numpy / PyTorch reference values of the statistics tests (<see cref="PowerSpectraTests"/>,
/// <see cref="RedundancyTests"/>, <see cref="SamplingTests"/>, <see cref="TimingTests"/>):
/// <c>tests/fixtures/statistics_reference.json</c>, written by <c>tests/fixtures/generate_statistics_fixtures.py</c>,
/// read once per test run. Its cases are keyed by name.
/// </summary>
internal static class StatisticsFixture
{
    public static JsonElement Root => Fixtures.Root("statistics_reference.json");

    public static JsonElement Get(string name) =>
        Root.GetProperty("cases").TryGetProperty(name, out JsonElement c)
            ? c
            : throw new KeyNotFoundException($"no case named '{name}' in statistics_reference.json");

    public static double[] Doubles(JsonElement c, string property) =>
        c.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(JsonElement c, string property) =>
        c.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static (int H, int W) Pair(JsonElement c, string property)
    {
        int[] values = Ints(c, property);
        Assert.Equal(2, values.Length);
        return (values[0], values[1]);
    }

    /// <summary>A <c>{"shape": [...], "data": [...]}</c> tensor of the case.</summary>
    public static Tensor ReadTensor(JsonElement c, string property)
    {
        JsonElement t = c.GetProperty(property);
        return new Tensor(Ints(t, "shape"), t.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }
}
