using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Spectrum"/> and <see cref="Spectrogram"/>: a pure tone peaks at its frequency with its amplitude,
/// the powers obey Parseval's theorem, a split adds back up to the signal with each part in its band, and bad
/// input names the parameter.
/// </summary>
public sealed class AudioSpectrumTests
{
    private static readonly Gen<(int Rate, int Length, int Bin, double Amplitude, double Phase)> OnBinTone =
        from rate in Gen.OneOf(8000, 16000, 22050, 44100)
        from length in Gen.Int[64, 4096]
        from bin in Gen.Int[1, length / 2 - 1]
        from amplitude in Gen.Double[0.01, 1]
        from phase in Gen.Double[0, 2 * Math.PI]
        select (rate, length, bin, amplitude, phase);

    private static float[] OnBin(int rate, int length, int bin, double amplitude, double phase) =>
        Enumerable.Range(0, length).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * bin * n / length + phase))).ToArray();

    [Fact]
    public void A_pure_tone_peaks_at_its_frequency_with_its_amplitude() =>
        OnBinTone.Sample(c =>
        {
            float[] x = OnBin(c.Rate, c.Length, c.Bin, c.Amplitude, c.Phase);
            double frequency = (double)c.Bin * c.Rate / c.Length;
            foreach (bool hann in new[] { false, true })
            {
                SpectralPeak peak = Spectrum.Of(x, c.Rate, hann).Peaks(1)[0];
                Assert.Equal(frequency, peak.Frequency, 9);
                Assert.True(Math.Abs(peak.Amplitude - c.Amplitude) < 1e-5 + 1e-4 * c.Amplitude,
                    $"hann {hann}: amplitude {peak.Amplitude} for a tone of {c.Amplitude}");
                Assert.Equal(20 * Math.Log10(peak.Amplitude), peak.Decibels, 9);
            }
        });

    [Fact]
    public void Powers_add_up_to_the_mean_square_parseval() =>
        Gen.Float[-1, 1].Array[1, 600].Select(Gen.Int[1, 48000]).Sample(c =>
        {
            var (x, rate) = c;
            Spectrum s = Spectrum.Of(x, rate);
            double meanSquare = Signals.MeanSquare(x);
            Assert.Equal(meanSquare, s.Power.Sum(), 1e-9 + 1e-9 * meanSquare);
            Assert.Equal(meanSquare, s.BandPower(0, s.Nyquist), 1e-9 + 1e-9 * meanSquare);
        });

    [Fact]
    public void Frequencies_run_from_zero_to_the_nyquist_frequency_in_steps_of_the_resolution()
    {
        Spectrum even = Spectrum.Of(new float[8], 8000);
        Assert.Equal(new[] { 0.0, 1000, 2000, 3000, 4000 }, even.Frequencies);
        Assert.Equal(1000, even.Resolution);
        Spectrum odd = Spectrum.Of(new float[5], 5000);
        Assert.Equal(new[] { 0.0, 1000, 2000 }, odd.Frequencies);
        Assert.Equal(2500, odd.Nyquist);
    }

    [Fact]
    public void Two_tones_give_two_peaks_highest_first_and_band_powers()
    {
        const int rate = 16000;
        float[] x = Signals.Sum(Signals.Tone(1000, 1, rate, 0.25), Signals.Tone(6000, 1, rate, 0.5));
        Spectrum s = Spectrum.Of(x, rate, hann: true);
        Assert.Equal(new[] { 6000.0, 1000.0 }, s.Peaks(2).Select(p => p.Frequency));
        Assert.Equal(0.25, s.PeakIn(500, 1500).Amplitude, 4);
        Assert.Equal(0.5 * 0.25 * 0.25, s.BandPower(0, 4000), 6);
        Assert.Equal(0.5 * 0.5 * 0.5, s.BandPower(4000, 8000), 6);
        Assert.Equal(-200, Spectrum.Of(new float[16], rate).Decibels.Max());
    }

    [Fact]
    public void Split_adds_back_up_to_the_signal_with_each_part_in_its_band() =>
        Gen.Float[-1, 1].Array[16, 400].Select(Gen.Double[0.05, 0.45]).Sample(c =>
        {
            var (x, fraction) = c;
            const int rate = 8000;
            double cutoff = fraction * rate;
            var (below, above) = Spectrum.Split(x, rate, cutoff);
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], below[i] + above[i], 1e-6f);

            Spectrum low = Spectrum.Of(below, rate), high = Spectrum.Of(above, rate);
            double total = Signals.MeanSquare(x) + 1e-12;
            double step = low.Resolution;
            Assert.True(low.BandPower(cutoff + step / 2, rate / 2.0) < 1e-9 * total, "the part below has power above the cutoff");
            Assert.True(high.BandPower(0, cutoff) < 1e-9 * total, "the part above has power below the cutoff");
        });

    [Fact]
    public void Spectrogram_frames_follow_a_chirp()
    {
        const int rate = 16000;
        float[] chirp = Signals.Chirp(200, 7800, 2, rate);
        Spectrogram s = Spectrogram.Of(chirp, rate, frameLength: 256, hop: 256);
        Assert.Equal(125, s.Times.Length);
        Assert.Equal(129, s.Frequencies.Length);
        Assert.Equal(new[] { 129, 125 }, new[] { s.Decibels.GetLength(0), s.Decibels.GetLength(1) });
        Assert.Equal(128.0 / rate, s.Times[0], 12);
        for (int f = 5; f < 120; f += 10)
        {
            int best = Enumerable.Range(0, 129).MaxBy(k => s.Decibels[k, f]);
            double expected = 200 + 7600 * s.Times[f] / 2;
            Assert.InRange(s.Frequencies[best], expected - 2 * 62.5, expected + 2 * 62.5);
        }
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => Spectrum.Of([], 8000)).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => Spectrum.Of([0, float.NaN], 8000));
        Assert.Equal("samples", nan.ParamName);
        Assert.Contains("samples[1] is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Equal("sampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Of([1], 0)).ParamName);

        Spectrum s = Spectrum.Of(new float[8], 8000);
        Assert.Equal("low", Assert.Throws<ArgumentOutOfRangeException>(() => s.BandPower(-1, 10)).ParamName);
        var reversed = Assert.Throws<ArgumentOutOfRangeException>(() => s.BandPower(100, 10));
        Assert.Equal("high", reversed.ParamName);
        Assert.Contains("high is 10 Hz", reversed.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentException>(() => s.PeakIn(1100, 1900));
        Assert.Equal("high", empty.ParamName);
        Assert.Contains("holds no bin", empty.Message, StringComparison.Ordinal);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => s.Peaks(0)).ParamName);
        Assert.Equal("frequency", Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Split([1, 2], 8000, 4001)).ParamName);

        Assert.Equal("frameLength", Assert.Throws<ArgumentOutOfRangeException>(() => Spectrogram.Of(new float[10], 8000, 11, 1)).ParamName);
        Assert.Equal("frameLength", Assert.Throws<ArgumentOutOfRangeException>(() => Spectrogram.Of(new float[10], 8000, 1, 1)).ParamName);
        Assert.Equal("hop", Assert.Throws<ArgumentOutOfRangeException>(() => Spectrogram.Of(new float[10], 8000, 4, 0)).ParamName);
    }
}
