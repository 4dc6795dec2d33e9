using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>A Prefect emulator and an HTTP client for it, started before each test and stopped after it.</summary>
public abstract class PrefectEmulatorTests : IAsyncLifetime
{
    private protected PrefectEmulator prefect = null!;
    private protected HttpClient http = null!;

    public virtual async Task InitializeAsync()
    {
        prefect = await PrefectEmulator.StartAsync();
        http = EmulatorHttp.Client(prefect.ApiUrl);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await prefect.DisposeAsync();
    }
}
