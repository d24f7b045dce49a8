"""The HTML incident map: the folium build, its data, layers, runtime script and assets."""
