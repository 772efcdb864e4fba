using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary><see cref="Signals"/>: the formulas of tones and chirps, seeded noise, sums, x[offset::step], and bad input.</summary>
public sealed class AudioSignalsTests
{
    [Fact]
    public void Tone_is_the_sine_formula()
    {
        float[] x = Signals.Tone(440, seconds: 0.01, sampleRate: 8000, amplitude: 0.5, phase: 0.3);
        Assert.Equal(80, x.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 440 * n / 8000 + 0.3), x[n], 1e-6);
        }
    }

    [Fact]
    public void Chirp_phase_is_the_integral_of_its_linear_frequency()
    {
        const int rate = 16000;
        float[] x = Signals.Chirp(100, 7000, seconds: 1, sampleRate: rate, amplitude: 0.8);
        for (int n = 0; n < x.Length; n += 97)
        {
            double t = (double)n / rate;
            Assert.Equal(0.8 * Math.Sin(2 * Math.PI * (100 * t + 6900 * t * t / 2)), x[n], 1e-5);
        }
    }

    [Fact]
    public void Chirp_frequency_rises_from_start_to_end()
    {
        const int rate = 16000;
        float[] x = Signals.Chirp(500, 6500, seconds: 1, sampleRate: rate);
        // The dominant frequency of 64 ms frames follows f(t) = 500 + 6000 t within a few bins.
        foreach (double t in new[] { 0.1, 0.4, 0.7, 0.9 })
        {
            float[] frame = x.Skip((int)(t * rate) - 512).Take(1024).ToArray();
            double peak = Spectrum.Of(frame, rate, hann: true).Peaks(1)[0].Frequency;
            Assert.InRange(peak, 500 + 6000 * t - 100, 500 + 6000 * t + 100);
        }
    }

    [Fact]
    public void Noise_is_the_same_for_the_same_seed_and_has_the_asked_spread()
    {
        float[] a = Signals.Noise(seed: 3, seconds: 1, sampleRate: 16000, amplitude: 0.1);
        Assert.Equal(a, Signals.Noise(seed: 3, seconds: 1, sampleRate: 16000, amplitude: 0.1));
        Assert.NotEqual(a, Signals.Noise(seed: 4, seconds: 1, sampleRate: 16000, amplitude: 0.1));
        Assert.InRange(Math.Sqrt(Signals.MeanSquare(a)), 0.095, 0.105);
    }

    [Fact]
    public void Sum_adds_sample_by_sample()
    {
        Assert.Equal(new[] { 5f, 7f, 9f }, Signals.Sum([1, 2, 3], [4, 5, 6]));
    }

    [Fact]
    public void KeepEvery_is_numpy_slicing() =>
        Gen.Select(Gen.Float[-1, 1].Array[0, 40], Gen.Int[1, 5], Gen.Int[0, 4]).Where(c => c.Item3 < c.Item2).Sample(c =>
        {
            var (x, step, offset) = c;
            float[] expected = x.Where((_, i) => i >= offset && (i - offset) % step == 0).ToArray();
            Assert.Equal(expected, Signals.KeepEvery(x, step, offset));
        });

    [Fact]
    public void MeanSquare_of_a_unit_tone_is_one_half() =>
        Assert.Equal(0.5, Signals.MeanSquare(Signals.Tone(1000, 1, 16000)), 6);

    [Fact]
    public void ToTensor_makes_a_conv1d_input()
    {
        Tensor t = Signals.ToTensor([1, 2, 3]);
        Assert.Equal(new[] { 1, 1, 3 }, t.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f }, t.ToArray());
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Tone(9000, 1, 16000));
        Assert.Equal("frequency", above.ParamName);
        Assert.Contains("Nyquist frequency 8000 Hz", above.Message, StringComparison.Ordinal);
        Assert.Contains("frequency is 9000 Hz", above.Message, StringComparison.Ordinal);

        Assert.Equal("endFrequency", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Chirp(0, 8001, 1, 16000)).ParamName);
        Assert.Equal("startFrequency", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Chirp(-1, 100, 1, 16000)).ParamName);
        Assert.Equal("sampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Tone(0, 1, 0)).ParamName);
        var seconds = Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Tone(100, -1, 8000));
        Assert.Equal("seconds", seconds.ParamName);
        Assert.Contains("seconds is -1", seconds.Message, StringComparison.Ordinal);
        Assert.Contains("seconds = 1E-05 s at 8000 Hz gives 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Tone(100, 0.00001, 8000)).Message, StringComparison.Ordinal);
        Assert.Equal("amplitude", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Tone(100, 1, 8000, double.NaN)).ParamName);

        var lengths = Assert.Throws<ArgumentException>(() => Signals.Sum([1, 2], [1, 2, 3]));
        Assert.Equal("signals", lengths.ParamName);
        Assert.Contains("signals[1] has 3", lengths.Message, StringComparison.Ordinal);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => Signals.Sum()).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.KeepEvery([1], 0)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => Signals.KeepEvery([1], 2, 2)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => Signals.ToTensor([])).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => Signals.MeanSquare([])).ParamName);
    }
}
