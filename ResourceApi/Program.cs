using OAuthDemo.ResourceApi.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiData();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
