namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="NaturalSignals"/>: the power-law slope of what it makes (fitted with MathNet), standardisation,
/// determinism, and bad input.
/// </summary>
public sealed class NaturalSignalsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void A_power_law_signal_has_log_log_slope_minus_the_exponent(double exponent)
    {
        foreach (int seed in new[] { 0, 1, 2, 3 })
        {
            double slope = PowerSpectra.LogLogSlope(NaturalSignals.PowerLaw(4096, exponent, seed));
            Assert.InRange(slope, -exponent - 0.15, -exponent + 0.15);
        }
    }

    [Fact]
    public void Pink_noise_has_slope_minus_1_and_white_noise_slope_0()
    {
        Assert.InRange(PowerSpectra.LogLogSlope(NaturalSignals.Pink(8192, seed: 5)), -1.15, -0.85);
        Assert.InRange(PowerSpectra.LogLogSlope(NaturalSignals.White(8192, seed: 5)), -0.15, 0.15);
    }

    [Fact]
    public void Pink_noise_is_smoother_than_white_noise()
    {
        Assert.True(Redundancy.Correlation(NaturalSignals.Pink(4096, 0), 1) > 0.5);
        Assert.InRange(Redundancy.Correlation(NaturalSignals.White(4096, 0), 1), -0.1, 0.1);
    }

    [Fact]
    public void Signals_are_standardised_and_deterministic()
    {
        foreach (int length in new[] { 8, 100, 1000 })
        {
            double[] x = NaturalSignals.Pink(length, seed: 7);
            Assert.Equal(length, x.Length);
            Assert.Equal(0, x.Average(), 9);
            Assert.Equal(1, Math.Sqrt(x.Average(v => v * v)), 9);
            Assert.Equal(x, NaturalSignals.Pink(length, seed: 7));
            Assert.NotEqual(x, NaturalSignals.Pink(length, seed: 8));
        }
    }

    [Fact]
    public void A_natural_image_has_radial_slope_minus_2()
    {
        foreach (int seed in new[] { 0, 1, 2 })
        {
            Tensor image = NaturalSignals.NaturalImage(64, seed);
            Assert.Equal([1, 1, 64, 64], image.Shape);
            Assert.InRange(PowerSpectra.LogLogSlope(image), -2.2, -1.8);
        }
        Assert.InRange(PowerSpectra.LogLogSlope(Tensor.Randn(0, 1, 1, 64, 64)), -0.2, 0.2);
    }

    [Fact]
    public void A_natural_image_is_standardised_and_deterministic()
    {
        float[] a = NaturalSignals.NaturalImage(32, seed: 4).ToArray();
        Assert.Equal(0, a.Average(v => (double)v), 5);
        Assert.Equal(1, Math.Sqrt(a.Average(v => (double)v * v)), 5);
        Assert.Equal(a, NaturalSignals.NaturalImage(32, seed: 4).ToArray());
        Assert.NotEqual(a, NaturalSignals.NaturalImage(32, seed: 5).ToArray());
    }

    [Fact]
    public void Neighbouring_pixels_of_a_natural_image_are_alike()
    {
        Tensor image = NaturalSignals.NaturalImage(128, seed: 0);
        Assert.True(Redundancy.Correlation(image, 1) > 0.5);
        Assert.True(Redundancy.Correlation(image, 1) > Redundancy.Correlation(image, 4));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => NaturalSignals.Pink(7, 0)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => NaturalSignals.White(0, 0)).ParamName);
        Assert.Equal("exponent", Assert.Throws<ArgumentOutOfRangeException>(() => NaturalSignals.PowerLaw(64, -1, 0)).ParamName);
        Assert.Equal("exponent", Assert.Throws<ArgumentOutOfRangeException>(() => NaturalSignals.PowerLaw(64, double.NaN, 0)).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NaturalSignals.NaturalImage(4, 0));
        Assert.Equal("size", e.ParamName);
        Assert.Contains("at least 8", e.Message, StringComparison.Ordinal);
    }
}
