using System.Text.Json;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Redundancy"/>: lag correlations against numpy (<c>tests/fixtures/statistics_reference.json</c>) and
/// closed forms (a ramp, an alternating sequence, a sine, an AR(1) process), the row averaging of tensors, the midpoint
/// error, and bad input.
/// </summary>
public sealed class RedundancyTests
{
    [Fact]
    public void The_correlation_at_lag_0_is_1()
    {
        Assert.Equal(1, Redundancy.Correlation(NaturalSignals.White(100, 3), 0), 12);
        Assert.Equal(1, Redundancy.Correlation(Tensor.Randn(1, 3, 50), 0), 12);
    }

    [Fact]
    public void Correlation_matches_numpy()
    {
        // np.corrcoef(signal[:-lag], signal[lag:])[0, 1], from the fixture.
        JsonElement c = StatisticsFixture.Get("lag_correlation");
        double[] s = StatisticsFixture.Doubles(c, "signal");
        int[] lags = StatisticsFixture.Ints(c, "lags");
        double[] expected = StatisticsFixture.Doubles(c, "correlation");
        Assert.Equal(lags.Length, expected.Length);
        Assert.NotEmpty(lags);
        for (int i = 0; i < lags.Length; i++) Assert.Equal(expected[i], Redundancy.Correlation(s, lags[i]), 12);
    }

    [Fact]
    public void A_ramp_predicts_itself_and_an_alternating_sequence_its_opposite()
    {
        double[] ramp = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        double[] alternating = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray();
        Assert.Equal(1, Redundancy.Correlation(ramp, 5), 12);
        Assert.Equal(-1, Redundancy.Correlation(alternating, 1), 12);
        Assert.Equal(1, Redundancy.Correlation(alternating, 2), 12);
    }

    [Fact]
    public void A_sine_correlates_as_the_cosine_of_its_phase_step()
    {
        double[] sine = Enumerable.Range(0, 20000).Select(i => Math.Sin(2 * Math.PI * i / 40)).ToArray();
        foreach (int lag in new[] { 1, 5, 10, 20 })
        {
            Assert.Equal(Math.Cos(2 * Math.PI * lag / 40), Redundancy.Correlation(sine, lag), 3);
        }
    }

    [Fact]
    public void An_AR1_process_correlates_as_phi_to_the_lag()
    {
        // x_t = φ x_{t−1} + ε_t has correlation φ^k at lag k.
        const double phi = 0.8;
        var source = new MersenneTwister(11);
        var x = new double[50000];
        for (int t = 1; t < x.Length; t++) x[t] = phi * x[t - 1] + Normal.Sample(source, 0, 1);
        foreach (int lag in new[] { 1, 2, 4 })
        {
            Assert.InRange(Redundancy.Correlation(x, lag), Math.Pow(phi, lag) - 0.03, Math.Pow(phi, lag) + 0.03);
        }
    }

    [Fact]
    public void A_tensor_averages_its_rows()
    {
        // Row 0 is a ramp (lag-1 correlation 1), row 1 alternates (−1): the mean is 0.
        float[] data = Enumerable.Range(0, 10).Select(i => (float)i)
            .Concat(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 1f : -1f)).ToArray();
        var rows = new Tensor([2, 10], data);
        Assert.Equal(0, Redundancy.Correlation(rows, 1), 12);
        Assert.Equal(1, Redundancy.Correlation(rows.Reshape(1, 2, 10), 2), 12);
    }

    [Fact]
    public void The_correlogram_lists_every_lag()
    {
        Tensor x = NaturalSignals.NaturalImage(32, 1);
        double[] r = Redundancy.Correlogram(x, maxLag: 5);
        Assert.Equal(6, r.Length);
        Assert.Equal(1, r[0], 12);
        for (int lag = 1; lag <= 5; lag++) Assert.Equal(Redundancy.Correlation(x, lag), r[lag], 12);
    }

    [Fact]
    public void The_midpoint_error_is_0_for_a_line_and_about_root_1_5_for_white_noise()
    {
        Tensor line = new([1, 9], Enumerable.Range(0, 9).Select(i => 3f * i - 2).ToArray());
        Assert.Equal(0, Redundancy.MidpointError(line), 12);

        // Independent samples: x − (a + b) / 2 has variance 1 + 1/2.
        Tensor noise = Tensor.Randn(2, 4, 20000);
        Assert.InRange(Redundancy.MidpointError(noise), Math.Sqrt(1.5) - 0.03, Math.Sqrt(1.5) + 0.03);
    }

    [Fact]
    public void The_midpoint_error_of_a_smooth_signal_is_small()
    {
        Tensor smooth = new([1, 200], Enumerable.Range(0, 200).Select(i => MathF.Sin(i / 10f)).ToArray());
        Assert.True(Redundancy.MidpointError(smooth) < 0.01);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        double[] s = [1.0, 2, 3, 4];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Redundancy.Correlation(s, 3));
        Assert.Equal("lag", e.ParamName);
        Assert.Contains("(2)", e.Message, StringComparison.Ordinal);
        Assert.Equal("lag", Assert.Throws<ArgumentOutOfRangeException>(() => Redundancy.Correlation(s, -1)).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => Redundancy.Correlation([2.0, 2, 2, 2], 1)).ParamName);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => Redundancy.Correlation(Tensor.Zeros(2, 5), 1)).ParamName);
        Assert.Equal("maxLag", Assert.Throws<ArgumentOutOfRangeException>(() => Redundancy.Correlogram(Tensor.Zeros(2, 5), 4)).ParamName);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => Redundancy.MidpointError(Tensor.Zeros(3, 2))).ParamName);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => Redundancy.MidpointError(Tensor.Zeros(3, 5))).ParamName);
        Assert.Throws<ArgumentNullException>(() => Redundancy.Correlation((double[])null!, 1));
        Assert.Throws<ArgumentNullException>(() => Redundancy.Correlation((Tensor)null!, 1));
    }
}
