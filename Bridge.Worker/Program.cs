using Bridge.Worker.Cli;

return await BridgeCli.InvokeAsync(args);
