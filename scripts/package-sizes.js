console.log("sizes: TODO")
