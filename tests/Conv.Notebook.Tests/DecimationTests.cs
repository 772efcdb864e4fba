using System.Numerics;
using CsCheck;
using MathNet.Numerics.IntegralTransforms;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Decimation"/>: the low-pass kernel passes 0 Hz with gain 1 and stops what lies above its transition
/// band (measured with MathNet's FFT, independently of <see cref="Decimation.Response"/>); a stride of 2 with the
/// kernel [1] folds a 6 kHz tone to 2 kHz; the aliasing measurement is exact by linearity.
/// </summary>
public sealed class DecimationTests
{
    private static readonly Tensor Identity = new([1, 1, 1], [1f]);

    /// <summary>|H| on an FFT grid of <paramref name="size"/> points: bin i is i · rate / size Hz.</summary>
    private static double[] FftGain(Tensor kernel, int size)
    {
        float[] h = kernel.ToArray();
        var data = new Complex[size];
        for (int k = 0; k < h.Length; k++) data[k] = h[k];
        Fourier.Forward(data, FourierOptions.Matlab);
        return data.Take(size / 2 + 1).Select(c => c.Magnitude).ToArray();
    }

    [Theory]
    [InlineData(3600, 101, 16000)]
    [InlineData(4000, 63, 16000)]
    [InlineData(1000, 31, 8000)]
    [InlineData(10000, 151, 44100)]
    public void Low_pass_kernel_has_gain_one_at_dc_and_stops_above_its_transition_band(double cutoff, int taps, int rate)
    {
        Tensor kernel = Decimation.LowPassKernel(cutoff, taps, rate);
        float[] h = kernel.ToArray();
        Assert.Equal(1.0, h.Sum(v => (double)v), 5);
        for (int k = 0; k < taps; k++) Assert.Equal(h[k], h[taps - 1 - k]);

        const int size = 16384;
        double[] gain = FftGain(kernel, size);
        // The transition band is about 5.5 · rate / taps wide, centred on the cutoff.
        double halfWidth = 2.9 * rate / taps;
        for (int i = 0; i <= size / 2; i++)
        {
            double f = (double)i * rate / size;
            if (f <= cutoff - halfWidth) Assert.True(Math.Abs(gain[i] - 1) < 0.002, $"{f} Hz: pass-band gain {gain[i]}");
            if (f >= cutoff + halfWidth) Assert.True(20 * Math.Log10(gain[i]) < -70, $"{f} Hz: stop-band gain {20 * Math.Log10(gain[i]):F1} dB");
        }
        int atCutoff = (int)Math.Round(cutoff * size / rate);
        Assert.Equal(0.5, gain[atCutoff], 1);
    }

    [Fact]
    public void Response_matches_the_fft_of_the_kernel()
    {
        Tensor kernel = Decimation.LowPassKernel(3600, 101, 16000);
        double[] fft = FftGain(kernel, 8192);
        FrequencyResponse r = Decimation.Response(kernel, 16000, points: 4097);
        Assert.Equal(0, r.Frequencies[0]);
        Assert.Equal(8000, r.Frequencies[^1]);
        for (int i = 0; i < fft.Length; i++) Assert.Equal(fft[i], r.Gain[i], 9);
        Assert.Equal(20 * Math.Log10(r.Gain[100]), r.Decibels[100], 9);
    }

    [Fact]
    public void Response_of_the_average_of_two_is_the_cosine()
    {
        FrequencyResponse r = Decimation.Response(new Tensor([2], [0.5f, 0.5f]), 16000, points: 9);
        for (int i = 0; i < 9; i++) Assert.Equal(Math.Abs(Math.Cos(Math.PI * r.Frequencies[i] / 16000)), r.Gain[i], 7);
    }

    [Fact]
    public void Stride_is_a_centred_conv1d_and_with_kernel_one_keeps_every_second_sample() =>
        Gen.Float[-1, 1].Array[8, 200].Select(Gen.Int[1, 4], Gen.Int[0, 3]).Sample(c =>
        {
            var (x, stride, half) = c;
            Tensor kernel = Tensor.Randn(seed: x.Length, 1, 1, 2 * half + 1);
            float[] expected = Convolution.Conv1d(Signals.ToTensor(x), kernel, stride: stride, padding: half).ToArray();
            Assert.Equal(expected, Decimation.Stride(x, kernel, stride));
            Assert.Equal(Signals.KeepEvery(x, stride), Decimation.Stride(x, Identity, stride));
        });

    [Fact]
    public void A_6_khz_tone_after_stride_2_is_a_2_khz_tone()
    {
        float[] y = Decimation.Stride(Signals.Tone(6000, 1, 16000, amplitude: 0.5), Identity, 2);
        SpectralPeak peak = Spectrum.Of(y, 8000, hann: true).Peaks(1)[0];
        Assert.Equal(2000, peak.Frequency);
        Assert.Equal(0.5, peak.Amplitude, 3);
    }

    [Fact]
    public void Aliasing_of_the_plain_stride_is_all_the_power_above_and_none_below()
    {
        AliasingMeasurement high = Decimation.MeasureAliasing(Signals.Tone(6000, 1, 16000, 0.5), 16000, Identity, 2);
        Assert.Equal(0.125, high.AbovePower, 6);
        Assert.Equal(0.125, high.AliasPower, 6);
        Assert.True(high.BelowPower < 1e-10);
        Assert.InRange(high.AliasDb, -0.01, 0.01);
        Assert.Equal(8000, high.OutputRate);
        Assert.Equal(4000, high.OutputNyquist);

        AliasingMeasurement low = Decimation.MeasureAliasing(Signals.Tone(1000, 1, 16000, 0.5), 16000, Identity, 2);
        Assert.True(low.AliasPower < 1e-10);
        Assert.InRange(low.KeptDb, -0.01, 0.01);
        Assert.True(low.SignalToAliasDb > 80);
    }

    [Fact]
    public void The_low_pass_kernel_removes_the_aliasing_of_a_tone_far_above_except_at_the_cut_off_ends()
    {
        Tensor kernel = Decimation.LowPassKernel(3600, 101, 16000);
        float[] tone = Signals.Tone(6000, 1, 16000, 0.5);
        double gainDb = Decimation.Response(kernel, 16000, points: 9).Decibels[6];   // at 6 kHz

        AliasingMeasurement inner = Decimation.MeasureAliasing(tone, 16000, kernel, 2, edge: 50);
        Assert.Equal(gainDb, inner.AliasDb, 1.0);
        Assert.True(inner.AliasDb < -100, $"away from the ends: {inner.AliasDb:F1} dB");

        AliasingMeasurement whole = Decimation.MeasureAliasing(tone, 16000, kernel, 2);
        Assert.InRange(whole.AliasDb, -70, -40);
    }

    [Fact]
    public void Leaving_out_the_ends_measures_the_inner_samples()
    {
        float[] x = Signals.Noise(2, 0.01, 16000);
        AliasingMeasurement m = Decimation.MeasureAliasing(x, 16000, Identity, 2, edge: 10);
        var (below, above) = Spectrum.Split(x, 16000, 4000);
        float[] inner = Signals.KeepEvery(above, 2)[10..^10];
        Assert.Equal(Signals.MeanSquare(inner), m.AliasPower, 12);
        Assert.Equal(Signals.MeanSquare(below[20..(x.Length - 20 - 1)]), m.BelowPower, 12);
        Assert.Equal(Signals.MeanSquare(above[20..(x.Length - 20 - 1)]), m.AbovePower, 12);
    }

    [Fact]
    public void The_parts_outputs_add_up_to_the_output_of_the_signal()
    {
        float[] x = Signals.Sum(Signals.Chirp(100, 7900, 0.25, 16000, 0.4), Signals.Noise(1, 0.25, 16000, 0.1));
        Tensor kernel = Decimation.LowPassKernel(4000, 63, 16000);
        var (below, above) = Spectrum.Split(x, 16000, 4000);
        float[] whole = Decimation.Stride(x, kernel, 2);
        float[] parts = Signals.Sum(Decimation.Stride(below, kernel, 2), Decimation.Stride(above, kernel, 2));
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], parts[i], 1e-6f);

        AliasingMeasurement m = Decimation.MeasureAliasing(x, 16000, kernel, 2);
        Assert.Equal(Signals.MeanSquare(Decimation.Stride(above, kernel, 2)), m.AliasPower, 12);
        Assert.Equal(Signals.MeanSquare(below), m.BelowPower, 12);
        Assert.Equal(10 * Math.Log10(m.KeptPower / m.AliasPower), m.SignalToAliasDb, 9);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        var cutoff = Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.LowPassKernel(8000, 11, 16000));
        Assert.Equal("cutoff", cutoff.ParamName);
        Assert.Contains("cutoff is 8000 Hz", cutoff.Message, StringComparison.Ordinal);
        Assert.Equal("cutoff", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.LowPassKernel(0, 11, 16000)).ParamName);
        var even = Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.LowPassKernel(1000, 10, 16000));
        Assert.Equal("taps", even.ParamName);
        Assert.Contains("taps is 10", even.Message, StringComparison.Ordinal);
        Assert.Equal("taps", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.LowPassKernel(1000, 1, 16000)).ParamName);

        var shape = Assert.Throws<ArgumentException>(() => Decimation.Stride([1, 2, 3], Tensor.Zeros(2, 1, 3), 2));
        Assert.Equal("kernel", shape.ParamName);
        Assert.Contains("(2, 1, 3)", shape.Message, StringComparison.Ordinal);
        Assert.Equal("kernel", Assert.Throws<ArgumentException>(() => Decimation.Response(new Tensor([1], [float.NaN]), 8000)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.Stride([1, 2], Identity, 0)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.Response(Identity, 8000, 1)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.MeasureAliasing([1, 2], 8000, Identity, 0)).ParamName);
        Assert.Equal("edge", Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.MeasureAliasing([1, 2], 8000, Identity, 2, -1)).ParamName);
        var edge = Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.MeasureAliasing(new float[10], 8000, Identity, 2, 3));
        Assert.Equal("edge", edge.ParamName);
        Assert.Contains("of the 5 outputs", edge.Message, StringComparison.Ordinal);
    }
}
