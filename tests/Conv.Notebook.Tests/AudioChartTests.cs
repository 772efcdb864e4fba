using System.Text.Json;
using Conv.Notebook.Display;
using Plotly.NET;

namespace Conv.Notebook.Tests;

/// <summary>
/// The audio charts of <see cref="Charts"/>: spectra keep their peaks when thinned and mark frequencies in every
/// panel, spectrograms share one colour scale, waveforms put samples at their times, and bad input names the
/// parameter.
/// </summary>
public sealed class AudioChartTests
{
    private static JsonElement Figure(GenericChart chart)
    {
        using JsonDocument document = JsonDocument.Parse(GenericChart.toFigureJson(chart));
        return document.RootElement.Clone();
    }

    private static JsonElement[] Traces(GenericChart chart) => Figure(chart).GetProperty("data").EnumerateArray().ToArray();

    private static double[] Numbers(JsonElement trace, string name) =>
        trace.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void Spectra_are_thinned_without_losing_peaks_and_carry_the_markers_in_every_panel()
    {
        float[] x = Signals.Sum(Signals.Tone(1000, 1, 16000, 0.25), Signals.Tone(6000, 1, 16000, 0.25));
        Spectrum s = Spectrum.Of(x, 16000, hann: true);
        GenericChart chart = Charts.Spectra([("a", s), ("b", s)], [("new Nyquist", 4000), ("Nyquist", 8000)], maxPoints: 500);

        JsonElement[] traces = Traces(chart);
        Assert.Equal(6, traces.Length);
        double[] y = Numbers(traces[0], "y");
        double[] f = Numbers(traces[0], "x");
        Assert.True(y.Length <= 500, $"{y.Length} points drawn");
        Assert.Equal(Math.Round(s.Decibels.Max(), 1), y.Max());
        Assert.Contains(1000.0, f);
        Assert.Contains(6000.0, f);
        Assert.Equal(new[] { 4000.0, 4000.0 }, Numbers(traces[1], "x"));
        Assert.Equal(2, traces.Count(t => t.GetProperty("x").EnumerateArray().All(v => v.GetDouble() == 8000)));
        Assert.True(y.Min() >= -100, "values below the floor are drawn at it");
    }

    [Fact]
    public void Spectrograms_share_one_colour_scale_and_frequency_range()
    {
        float[] x = Signals.Chirp(100, 7900, 0.5, 16000);
        GenericChart chart = Charts.Spectrograms([("16 kHz", x, 16000), ("8 kHz", Signals.KeepEvery(x, 2), 8000)], floorDb: -60);
        JsonElement[] traces = Traces(chart);
        Assert.Equal(2, traces.Length);
        foreach (JsonElement t in traces)
        {
            Assert.Equal("heatmap", t.GetProperty("type").GetString());
            Assert.Equal(-60, t.GetProperty("zmin").GetDouble());
            Assert.Equal(0, t.GetProperty("zmax").GetDouble());
        }
        // 16 ms frames: 256 samples (129 bins) at 16 kHz and 128 samples (65 bins) at 8 kHz, 31 frames each.
        Assert.Equal(129, traces[0].GetProperty("z").GetArrayLength());
        Assert.Equal(65, traces[1].GetProperty("z").GetArrayLength());
        Assert.Equal(31, traces[1].GetProperty("x").GetArrayLength());
        string layout = Figure(chart).GetProperty("layout").GetRawText();
        Assert.Contains("[0.0,8000.0]", layout.Replace(" ", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void Waveforms_put_each_sample_at_its_time_in_ms()
    {
        float[] x = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        JsonElement[] traces = Traces(Charts.Waveforms([("16 kHz", x, 16000), ("8 kHz", x, 8000)], 0.001, 0.002));
        Assert.Equal(new[] { 1.0, 1.0625 }, Numbers(traces[0], "x").Take(2));
        Assert.Equal(new[] { 16.0, 17.0 }, Numbers(traces[0], "y").Take(2));
        Assert.Equal(17, Numbers(traces[0], "x").Length);
        Assert.Equal(new[] { 1.0, 1.125 }, Numbers(traces[1], "x").Take(2));
    }

    [Fact]
    public void Frequency_responses_draw_one_line_per_kernel_and_the_markers()
    {
        FrequencyResponse r = Decimation.Response(Decimation.LowPassKernel(3600, 101, 16000), 16000);
        JsonElement[] traces = Traces(Charts.FrequencyResponses([("low-pass", r)], [("new Nyquist", 4000)]));
        Assert.Equal(2, traces.Length);
        Assert.Equal(r.Frequencies.Length, Numbers(traces[0], "x").Length);
        Assert.True(Numbers(traces[0], "y").Min() >= -100);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        Spectrum s = Spectrum.Of([0, 1, 0, -1], 8000);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => Charts.Spectra([])).ParamName);
        Assert.Equal("maxPoints", Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Spectra([("a", s)], maxPoints: 1)).ParamName);
        Assert.Equal("markers", Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Spectra([("a", s)], [("bad", double.NaN)])).ParamName);
        Assert.Equal("responses", Assert.Throws<ArgumentException>(() => Charts.FrequencyResponses([])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => Charts.Waveforms([], 0, 1)).ParamName);
        var reversed = Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Waveforms([("a", [0f], 8000)], 0.5, 0.5));
        Assert.Equal("toSeconds", reversed.ParamName);
        Assert.Equal("fromSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Waveforms([("a", [0f], 8000)], -1, 1)).ParamName);
        var longFrame = Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Spectrograms([("short", new float[100], 8000)]));
        Assert.Equal("frameSeconds", longFrame.ParamName);
        Assert.Contains("'short'", longFrame.Message, StringComparison.Ordinal);
        Assert.Equal("floorDb", Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Spectrograms([("a", new float[1000], 8000)], floorDb: 0)).ParamName);
    }
}
