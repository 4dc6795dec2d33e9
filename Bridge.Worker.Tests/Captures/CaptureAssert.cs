using Xunit.Sdk;

namespace Bridge.Tests.Captures;

/// <summary>Assertions whose failure says which capture and which reading broke.</summary>
internal static class CaptureAssert
{
    public static void Same<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new XunitException($"{what}: expected {Show(expected)}, got {Show(actual)}");
        }
    }

    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new XunitException(what);
        }
    }

    /// <summary>The rejection <paramref name="what"/> must have been refused with.</summary>
    public static Bridge.Worker.Triggers.Rejection Refused(Bridge.Worker.Triggers.Rejection? rejection, string what) =>
        rejection ?? throw new Xunit.Sdk.XunitException($"{what}: expected a rejection, got none");

    /// <summary>Fails with the rejection's words when <paramref name="what"/> was refused.</summary>
    public static void Accepted(Bridge.Worker.Triggers.Rejection? rejection, string what)
    {
        if (rejection is not null)
        {
            throw new Xunit.Sdk.XunitException($"{what}: expected it accepted, got {rejection.Reason}: {rejection.Why}");
        }
    }

    public static TException Throws<TException>(Action action, string what)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException expected)
        {
            return expected;
        }
        catch (Exception other)
        {
            throw new XunitException($"{what}: expected {typeof(TException).Name}, got {other.GetType().Name}: {other.Message}");
        }

        throw new XunitException($"{what}: expected {typeof(TException).Name}, but nothing was thrown");
    }

    public static async Task<TException> ThrowsAsync<TException>(Func<Task> action, string what)
        where TException : Exception
    {
        try
        {
            await action();
        }
        catch (TException expected)
        {
            return expected;
        }
        catch (Exception other)
        {
            throw new XunitException($"{what}: expected {typeof(TException).Name}, got {other.GetType().Name}: {other.Message}");
        }

        throw new XunitException($"{what}: expected {typeof(TException).Name}, but nothing was thrown");
    }

    public static async Task<T> NoThrowAsync<T>(Func<Task<T>> action, string what)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is not XunitException)
        {
            throw new XunitException($"{what}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString() ?? "null")) + "]",
        _ => value.ToString() ?? "null",
    };
}
