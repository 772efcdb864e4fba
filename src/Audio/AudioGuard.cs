using System.Globalization;

namespace Conv.Notebook;

/// <summary>The checks shared by the audio helpers, so that bad input fails before any work and says why.</summary>
internal static class AudioGuard
{
    public static void SampleRate(int sampleRate, string paramName = "sampleRate") =>
        Guard.AtLeastOne(sampleRate, paramName, "sample rate (samples per second)");

    public static void Samples(float[] samples, string paramName = "samples")
    {
        ArgumentNullException.ThrowIfNull(samples, paramName);
        if (samples.Length == 0) throw new ArgumentException($"A signal needs at least one sample, but {paramName} is empty.", paramName);
        for (int i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                throw new ArgumentException($"Every sample must be a finite number, but {paramName}[{i}] is {Text(samples[i])}.", paramName);
            }
        }
    }

    public static void Seconds(double seconds, int sampleRate, string paramName = "seconds")
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, seconds, $"The duration must be a positive number of seconds, but {paramName} is {Text(seconds)}.");
        }
        double count = Math.Round(seconds * sampleRate);
        if (count < 1 || count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(paramName, seconds,
                $"The duration must give between 1 and {Array.MaxLength} samples, but {paramName} = {Text(seconds)} s at {sampleRate} Hz gives {Text(count)}.");
        }
    }

    /// <summary>A frequency that a signal at this rate can hold: from 0 up to the Nyquist frequency, half the rate.</summary>
    public static void Frequency(double frequency, int sampleRate, string paramName)
    {
        double nyquist = sampleRate / 2.0;
        if (!double.IsFinite(frequency) || frequency < 0 || frequency > nyquist)
        {
            throw new ArgumentOutOfRangeException(paramName, frequency,
                $"The frequency must be between 0 and the Nyquist frequency {Text(nyquist)} Hz (half the sample rate {sampleRate} Hz), " +
                $"but {paramName} is {Text(frequency)} Hz; a higher one would alias already when it is sampled.");
        }
    }

    public static void Finite(double value, string paramName, string what)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(paramName, value, $"The {what} must be a finite number, but {paramName} is {Text(value)}.");
    }

    public static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
