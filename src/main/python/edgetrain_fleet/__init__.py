"""edgetrain fleet learning through Flower: a ClientApp that drives the local edgetrain daemon's fleet API and a
ServerApp with Flower's FedAvg weighted by each member's sample count."""
