namespace Conv.Notebook.Tests;

/// <summary><see cref="PowerSpectra"/>: the periodogram against numpy and a pure tone, the slope fit, and bad input.</summary>
public sealed class PowerSpectraTests
{
    [Fact]
    public void Periodogram_matches_numpy()
    {
        // np.abs(np.fft.fft([1, 2, 3, 4, 0, -1, 5, 2])) ** 2 / 8, bins 1 to 4 (numpy 1.24).
        var (frequency, power) = PowerSpectra.Periodogram([1.0, 2, 3, 4, 0, -1, 5, 2]);
        Assert.Equal([0.125, 0.25, 0.375, 0.5], frequency);
        double[] expected = [0.659009742330268, 9.25, 3.8409902576697323, 0.5];
        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], power[k], 10);
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
    }

    [Fact]
    public void The_2d_transform_matches_numpy_fft2_and_inverts()
    {
        // np.fft.fft2([[1, 2, 0, -1], [3, 0, 1, 2], [-2, 1, 4, 0]]) with numpy 1.24, row-major.
        double[] input = [1, 2, 0, -1, 3, 0, 1, 2, -2, 1, 4, 0];
        (double Re, double Im)[] expected =
        [
            (11, 0), (-3, -2), (3, 0), (-3, 2),
            (-2.5, -2.598076211353316), (5.598076211353316, -10.428203230275509), (-1.5, -0.8660254037844386), (0.401923788646684, -3.4282032302755088),
            (-2.5, 2.598076211353316), (0.401923788646684, 3.4282032302755088), (-1.5, 0.8660254037844386), (5.598076211353316, 10.428203230275509),
        ];
        var data = input.Select(v => new System.Numerics.Complex(v, 0)).ToArray();
        Fourier2D.Transform(data, 3, 4, inverse: false);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(expected[i].Re, data[i].Real, 10);
            Assert.Equal(expected[i].Im, data[i].Imaginary, 10);
        }
        Fourier2D.Transform(data, 3, 4, inverse: true);
        for (int i = 0; i < data.Length; i++) Assert.Equal(input[i], data[i].Real, 10);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.Periodogram([1.0, 2, 3])).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.Periodogram([1.0, double.NaN, 3, 4])).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope([1.0, 1, 1, 1])).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope(Tensor.Zeros(2, 1, 8, 8))).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => PowerSpectra.LogLogSlope(Tensor.Randn(0, 3, 3))).ParamName);
        Assert.Throws<ArgumentNullException>(() => PowerSpectra.Periodogram(null!));
        Assert.Throws<ArgumentNullException>(() => PowerSpectra.LogLogSlope((Tensor)null!));
    }
}
