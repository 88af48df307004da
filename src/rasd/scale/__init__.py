"""Running Rasd over archives on a Ray cluster (`rasd batch`, `rasd load`); Ray is imported only when used."""
